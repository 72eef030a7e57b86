/**
 * Vercel in Chromium: connect with a token in Settings → Vercel against a loopback Vercel
 * (schema-derived bodies, core/integrations/vercel/testing), link the open project, open its
 * Deploys tab, read a failed build's error lines, and roll production back with the confirmation
 * naming both deployments.
 */
import { startVercelServer } from '../../src-main/core/integrations/vercel/testing/vercel-server';
import { describeViolations, seriousViolations } from '../support/axe-in-page';
import { startWebsiteProject } from '../support/project-pages';
import { connectVercel, linkVercelProject, openVercelSettings } from '../support/vercel-pages';
import { expect, test } from '../support/web-fixtures';

test('connect Vercel, link the project, see deployments and a failed build, roll back with a confirmation', async ({ page, webHost }) => {
  const token = 'vcp_E2eToken0123456789abcdef';
  const vercel = await startVercelServer({ token });
  try {
    vercel.projects.set('prj_site', { id: 'prj_site', name: 'site', production: null });
    const now = Date.now();
    vercel.addDeployment({ id: 'dpl_Stable', projectId: 'prj_site', readyState: 'READY', target: 'production', created: now - 7_200_000, ready: now - 7_100_000, ref: 'main', sha: 'a'.repeat(40), message: 'Stable release' });
    const live = vercel.addDeployment({ id: 'dpl_Latest', projectId: 'prj_site', readyState: 'READY', target: 'production', created: now - 600_000, ready: now - 500_000, ref: 'main', sha: 'b'.repeat(40), message: 'New checkout' });
    vercel.addDeployment({ id: 'dpl_Broken', projectId: 'prj_site', readyState: 'ERROR', target: null, created: now - 60_000, ref: 'feature/x', sha: 'c'.repeat(40), message: 'Try x', errorMessage: 'Command "npm run build" exited with 1' });
    vercel.log('dpl_Broken', [['command', 'Running "npm run build"'], ['stderr', 'Module not found: ./x']], now - 50_000);
    vercel.projects.get('prj_site')!.production = live;

    await startWebsiteProject(page, webHost.url);
    const settings = await openVercelSettings(page);
    await connectVercel(settings, 'vcp_wrong', vercel.baseUrl);
    await expect(settings.getByRole('form', { name: 'Connect Vercel' }).getByLabel('Vercel token')).toHaveAccessibleDescription(/did not accept this token/);
    await connectVercel(settings, token, vercel.baseUrl);
    await expect(settings.getByRole('region', { name: 'Vercel account' })).toContainText('ana-lima');
    await linkVercelProject(settings, 'prj_site', 'site');
    expect(describeViolations(await seriousViolations(page))).toBe('');
    await page.keyboard.press('Escape');

    await page.getByRole('tab', { name: 'Deploys' }).click();
    const list = page.getByRole('list', { name: 'Vercel deployments' });
    await expect(list.getByRole('listitem')).toHaveCount(3);
    const broken = list.getByRole('listitem').filter({ hasText: 'Try x' });
    await expect(broken).toContainText('error');
    await broken.getByRole('button', { name: 'Build log' }).click();
    await expect(broken.getByRole('alert')).toContainText('Module not found: ./x');
    expect(describeViolations(await seriousViolations(page))).toBe('');

    await expect(list.getByRole('listitem').filter({ hasText: 'New checkout' })).toContainText('live');
    await expect(list.getByRole('listitem').filter({ hasText: 'New checkout' }).getByRole('button', { name: 'Roll back to this' })).toHaveCount(0);
    // Monitor the live release: a release.monitor job for it.
    const liveRow = list.getByRole('listitem').filter({ hasText: 'New checkout' });
    await liveRow.getByText('Monitor this release').click();
    const monitor = liveRow.getByRole('form', { name: 'Monitor dpl_Latest' });
    await expect(monitor.getByLabel('URL to check')).toHaveValue(/^https:\/\/site-/);
    await monitor.getByLabel('Text the page must contain (optional)').fill('Welcome');
    await monitor.getByRole('button', { name: 'Start monitoring' }).click();
    await expect(page.getByText('Monitoring dpl_Latest every 5 min')).toBeVisible();

    await list.getByRole('listitem').filter({ hasText: 'Stable release' }).getByRole('button', { name: 'Roll back to this' }).click();
    const confirm = page.getByRole('dialog', { name: 'Roll back production?' });
    await expect(confirm).toContainText('dpl_Latest');
    await expect(confirm).toContainText('dpl_Stable');
    await confirm.getByRole('button', { name: 'Roll back' }).click();
    await expect(confirm).toHaveCount(0);
    expect(vercel.requests.filter((r) => r.path === '/v1/projects/prj_site/rollback/dpl_Stable')).toHaveLength(1);
    expect(vercel.projects.get('prj_site')!.production!.id).toBe('dpl_Stable');
    // The list is read again: the earlier deployment is live now.
    await expect(list.getByRole('listitem').filter({ hasText: 'Stable release' })).toContainText('live');
  } finally {
    await vercel.close();
  }
});
