/**
 * Tasks know they shipped, in Chromium: a task's pull request merges (the GitHub sync of a
 * loopback GitHub replaying recorded answers, as in github-linked-pr.spec.ts: PR #403 "fixes
 * WEB-1", merged into master), the project is linked to a Vercel project deploying that repo
 * (loopback Vercel, schema-derived bodies), and production serves a ready deployment of master
 * built after the merge: the task's card and its detail panel say Deployed. A rollback to a
 * deployment from before the merge flags it Rolled back, on the card and in the panel.
 */
import { startEtagReplay } from '../../src-main/core/integrations/github/testing/cache-fixtures/etag-replay-server';
import { repo, scenarioTasks, serveRepo } from '../../src-main/core/integrations/github/testing/sync-scenario';
import { startVercelServer } from '../../src-main/core/integrations/vercel/testing/vercel-server';
import { connectWithToken, linkRepoAndSync, openGithubSettings } from '../support/github-pages';
import { card, quickAdd, startWebsiteProject } from '../support/project-pages';
import { connectVercel, linkVercelProject, openVercelSettings } from '../support/vercel-pages';
import { expect, test } from '../support/web-fixtures';

test('a task whose merged PR is in a ready production deployment shows Deployed, and Rolled back after a rollback', async ({ page, webHost }) => {
  const github = await startEtagReplay();
  serveRepo(github);
  const token = 'vcp_E2eShippedToken0123456789';
  const vercel = await startVercelServer({ token });
  try {
    // The recorded PR #403 merged into master on 2014-01-23 12:00 UTC (sync-scenario.ts).
    const [org, name] = repo.split('/') as [string, string];
    vercel.projects.set('prj_site', { id: 'prj_site', name: 'site', production: null, repo: { org, repo: name } });
    const day = (d: number) => Date.parse(`2014-01-${d}T10:00:00Z`);
    vercel.addDeployment({ id: 'dpl_Before', projectId: 'prj_site', readyState: 'READY', target: 'production', created: day(20), ready: day(20) + 60_000, ref: 'master', sha: 'a'.repeat(40), message: 'Before the fix' });
    const shipped = vercel.addDeployment({ id: 'dpl_Shipped', projectId: 'prj_site', readyState: 'READY', target: 'production', created: day(24), ready: day(24) + 60_000, ref: 'master', sha: 'b'.repeat(40), message: 'With the fix' });
    vercel.projects.get('prj_site')!.production = shipped;

    await startWebsiteProject(page, webHost.url);
    await quickAdd(page, 'Todo', scenarioTasks);
    const task = scenarioTasks[0]!;

    // The PR merges: the GitHub sync links it to WEB-1 (and moves WEB-1 to Done).
    const githubSettings = await openGithubSettings(page);
    await connectWithToken(githubSettings, github.baseUrl);
    await linkRepoAndSync(page, githubSettings, repo);

    // Vercel: connect, link, look at the deployments (production serves the one with the fix).
    const settings = await openVercelSettings(page);
    await connectVercel(settings, token, vercel.baseUrl);
    await expect(settings.getByRole('region', { name: 'Vercel account' })).toContainText('ana-lima');
    await linkVercelProject(settings, 'prj_site', 'site');
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Deploys' }).click();
    const list = page.getByRole('list', { name: 'Vercel deployments' });
    await expect(list.getByRole('listitem').filter({ hasText: 'With the fix' })).toContainText('live');

    // Deployed: on the board card and in the task's panel.
    await page.getByRole('tab', { name: 'Board' }).click();
    await expect(card(page, 'Done', task)).toContainText('Deployed');
    await card(page, 'Done', task).click();
    const panel = page.getByRole('complementary', { name: 'Task WEB-1' });
    const deploy = panel.getByRole('region', { name: 'Deploy' });
    await expect(deploy).toContainText('Deployed');
    await expect(deploy).toContainText(`${repo}#403 is in production`);
    await expect(deploy.getByRole('link', { name: 'Open dpl_Shipped' })).toHaveAttribute('href', shipped.url.startsWith('http') ? shipped.url : `https://${shipped.url}`);
    await page.keyboard.press('Escape');

    // Roll production back to before the merge: the task is flagged.
    await page.getByRole('tab', { name: 'Deploys' }).click();
    await list.getByRole('listitem').filter({ hasText: 'Before the fix' }).getByRole('button', { name: 'Roll back to this' }).click();
    const confirm = page.getByRole('dialog', { name: 'Roll back production?' });
    await expect(confirm).toContainText('dpl_Shipped');
    await confirm.getByRole('button', { name: 'Roll back' }).click();
    await expect(confirm).toHaveCount(0);
    await expect(list.getByRole('listitem').filter({ hasText: 'Before the fix' })).toContainText('live');

    await page.getByRole('tab', { name: 'Board' }).click();
    await expect(card(page, 'Done', task)).toContainText('Rolled back');
    await card(page, 'Done', task).click();
    await expect(deploy).toContainText('Rolled back');
    await expect(deploy).toContainText(`${repo}#403 was taken out of production by a rollback`);
    await expect(panel.getByRole('region', { name: 'Activity' })).toContainText('Rolled back: production went back to dpl_Before');
  } finally {
    await vercel.close();
    await github.close();
  }
});
