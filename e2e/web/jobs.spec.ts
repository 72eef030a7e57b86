/**
 * The Jobs page, end to end through the web host in Chromium: a job created from the page (its
 * schedule in words and next runs, a bad cron named by the field), run now and watched to the
 * end (status, log, result), cancelled while running, a failure on the sidebar's badge, the place
 * kept over a reload and the job on its project's page.
 *
 * The page's own behaviour (cancel, failure streaks, pause) runs on a host entry that also
 * registers the core's small test types, whose timing a test controls (e2e/support/jobs-web-host.ts);
 * the audit runs the shipped site.audit type on the shipped host, against a site on 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { describeViolations, seriousViolations } from '../support/axe-in-page';
import { describeLowContrast, lowContrastText } from '../support/contrast-in-page';
import { startWebsiteProject } from '../support/project-pages';
import { expect, test } from '../support/web-fixtures';

const jobRow = (page: Page, name: string) => page.getByRole('list', { name: 'Jobs' }).getByRole('listitem').filter({ has: page.getByRole('button', { name, exact: true }) });
const runDetails = (page: Page) => page.getByRole('article', { name: 'Run details' });

async function openJobsPage(page: Page) {
  await page.getByRole('navigation', { name: 'Sidebar' }).getByRole('button', { name: /^Jobs/ }).click();
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
}

/** No serious axe-core violation and AA text contrast on what is on screen, light and dark. */
async function expectReadable(page: Page, screen: string) {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await seriousViolations(page);
    if (violations.length) found.push(`${screen}, ${scheme}:\n${describeViolations(violations)}`);
    const low = await lowContrastText(page);
    if (low.length) found.push(`${screen}, ${scheme}, low contrast:\n${describeLowContrast(low)}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  expect(found, found.join('\n\n')).toEqual([]);
}

/** New job → a test type with JSON params, nightly; the dialog closes on success. */
async function createTestJob(page: Page, name: string, typeTitle: string, params: string) {
  await page.getByRole('button', { name: 'New job' }).click();
  const dialog = page.getByRole('dialog', { name: 'New job' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Type').selectOption({ label: typeTitle });
  await dialog.getByLabel('Params (JSON)').fill(params);
  await dialog.getByRole('button', { name: 'Create job' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(jobRow(page, name)).toBeVisible();
}

test.describe('with the test job types', () => {
  test.use({ hostEntry: 'e2e/support/jobs-web-host.ts' });

  test('create a nightly job from the empty Jobs page, run it now, watch it succeed and open its result', async ({ page, webHost }) => {
    await startWebsiteProject(page, webHost.url);
    await openJobsPage(page);
    await expect(page).toHaveURL(/#\/jobs$/);

    // The empty state says what jobs are for; notifications are asked for by a button, not on load.
    await expect(page.getByRole('heading', { name: 'No jobs yet' })).toBeVisible();
    await expect(page.getByText(/audit a client’s site every night/)).toBeVisible();
    await page.context().grantPermissions(['notifications']);
    await page.getByRole('button', { name: 'Notify me when a job fails' }).click();
    await expect(page.getByRole('button', { name: 'Notify me when a job fails' })).toHaveCount(0);

    // One click: the dialog prefilled with a nightly schedule in the browser's own zone.
    await page.getByRole('button', { name: /^Create a nightly (audit|job)$/ }).click();
    const dialog = page.getByRole('dialog', { name: 'New job' });
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    await expect(dialog.getByLabel('Cron schedule')).toHaveValue('0 2 * * *');
    await expect(dialog.getByLabel('Time zone')).toHaveValue(zone);
    await expect(dialog.getByRole('button', { name: 'Nightly' })).toHaveAttribute('aria-pressed', 'true');
    const preview = dialog.getByLabel('Schedule preview');
    await expect(preview.getByText('At 02:00', { exact: true })).toBeVisible();
    await expect(preview.getByRole('list', { name: 'Next runs' }).getByRole('listitem')).toHaveCount(5);
    await expect(preview.getByRole('listitem').first()).toContainText('02:00');
    await expectReadable(page, 'New job dialog');

    // A bad schedule is named by its field, with the core's reason; a preset puts it right.
    await dialog.getByLabel('Cron schedule').fill('61 * * * *');
    await expect(dialog.getByLabel('Cron schedule')).toHaveAccessibleDescription(/Minute 61 is out of range \(0–59\)/);
    await dialog.getByRole('button', { name: 'Hourly' }).click();
    await expect(preview.getByText('Every hour', { exact: true })).toBeVisible();
    await dialog.getByRole('button', { name: 'Nightly' }).click();
    await expect(dialog.getByLabel('Cron schedule')).not.toHaveAttribute('aria-invalid', 'true');
    await expect(preview.getByText('At 02:00', { exact: true })).toBeVisible();

    // A type this build has no form for gets its params as JSON; the core's verdict on them shows in the form.
    await dialog.getByLabel('Name').fill('Nightly check');
    await dialog.getByLabel('Type').selectOption({ label: 'Test: succeeds' });
    await dialog.getByLabel('Project').selectOption({ label: 'Website' });
    await dialog.getByLabel('Params (JSON)').fill('{"key": 3}');
    await dialog.getByRole('button', { name: 'Create job' }).click();
    await expect(dialog.getByRole('alert')).toContainText('key');
    await dialog.getByLabel('Params (JSON)').fill('{"key": "e2e-ok"}');
    await dialog.getByRole('button', { name: 'Create job' }).click();
    await expect(dialog).toHaveCount(0);

    // The list: type, schedule in words, next run, not run yet.
    const row = jobRow(page, 'Nightly check');
    await expect(row).toContainText('Test: succeeds');
    await expect(row).toContainText('At 02:00');
    await expect(row).toContainText(zone);
    await expect(row.getByText('Not run yet')).toBeVisible();
    await expect(row.locator('time')).toContainText('02:00');
    await expect(page).toHaveURL(/#\/jobs\/[0-9a-f-]{36}$/);

    // Run now → it finishes: Succeeded, its log and its result.
    await row.getByRole('button', { name: 'Run now: Nightly check' }).click();
    const details = runDetails(page);
    await expect(details.getByRole('heading', { level: 3 })).toHaveText('Succeeded · Run now');
    await expect(row.getByText('Succeeded')).toBeVisible();
    await expect(row).toContainText('100%');
    await expect(page.getByRole('table', { name: 'Run history' }).getByRole('row')).toHaveCount(2);
    await expect(details.getByRole('region', { name: 'Result' })).toContainText('"run": 1');
    await details.getByText(/^Log/).click();
    await expect(details.getByRole('list', { name: 'Log' })).toContainText('run 1 of e2e-ok');
    await expectReadable(page, 'Jobs page with a result');

    // The place survives a reload; the job shows on its project's page.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Runs of Nightly check' })).toBeVisible({ timeout: 30_000 });
    await expect(runDetails(page).getByRole('heading', { level: 3 })).toHaveText('Succeeded · Run now');
    await page.getByRole('navigation', { name: 'Sidebar' }).getByRole('button', { name: /Website/ }).click();
    const projectJobs = page.getByRole('navigation', { name: 'Jobs of this project' });
    await expect(projectJobs).toContainText('Nightly check');
    await expect(projectJobs).toContainText('Succeeded');
    await projectJobs.getByRole('button', { name: 'Nightly check' }).click();
    await expect(page.getByRole('heading', { name: 'Runs of Nightly check' })).toBeVisible();
  });

  test('a running job shows live and can be cancelled; a failed one is on the sidebar badge and told once', async ({ page, webHost }) => {
    await startWebsiteProject(page, webHost.url);
    await openJobsPage(page);
    // The empty state's second way in: the dialog without the nightly prefill.
    await page.getByRole('button', { name: 'Another kind of job…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New job' });
    await dialog.getByLabel('Name').fill('Long run');
    await dialog.getByLabel('Type').selectOption({ label: 'Test: waits until aborted' });
    await dialog.getByLabel('Params (JSON)').fill('{"key": "e2e-wait"}');
    await dialog.getByRole('button', { name: 'Create job' }).click();
    await expect(dialog).toHaveCount(0);

    await jobRow(page, 'Long run').getByRole('button', { name: 'Run now: Long run' }).click();
    const details = runDetails(page);
    await expect(details.getByRole('heading', { level: 3 })).toHaveText('Running · Run now');
    await expect(details.getByRole('progressbar')).toBeVisible();
    await details.getByRole('button', { name: 'Cancel run' }).click();
    await expect(details.getByRole('heading', { level: 3 })).toHaveText('Cancelled · Run now');
    await expect(details.getByRole('button', { name: 'Cancel run' })).toHaveCount(0);

    // A job failing after its (single) attempt: the badge counts it and the alert is told once.
    const badge = page.getByRole('navigation', { name: 'Sidebar' }).getByRole('button', { name: /^Jobs/ });
    await expect(badge).toHaveAccessibleName('Jobs');
    await createTestJob(page, 'Flaky', 'Test: fails first', '{"key": "e2e-flaky", "failures": 5}');
    await jobRow(page, 'Flaky').getByRole('button', { name: 'Run now: Flaky' }).click();
    await expect(runDetails(page).getByRole('heading', { level: 3 })).toHaveText('Failed · Run now');
    await expect(runDetails(page)).toContainText('failure 1 of e2e-flaky');
    await expect(badge).toHaveAccessibleName('Jobs 1 failing');
    await expect(page.getByRole('status').filter({ hasText: 'Job failed: Flaky' })).toHaveCount(1);

    // Paused: no next run; resumed: one again.
    const flaky = jobRow(page, 'Flaky');
    await flaky.getByRole('switch', { name: 'Paused: Flaky' }).check();
    await expect(flaky).toContainText('Next runPaused');
    await flaky.getByRole('switch', { name: 'Paused: Flaky' }).uncheck();
    await expect(flaky.locator('time')).toContainText('02:00');

    // Every status on screen (cancelled, failed, no rate yet) is readable, light and dark.
    await expectReadable(page, 'Jobs page with a failure');
  });
});

test('a nightly audit of a local site: run now, watch it finish, open a page’s findings', async ({ page, webHost }) => {
  // A tiny site on 127.0.0.1 whose page has no <title>.
  const site: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html lang="en"><head><meta name="description" content="A page"></head><body><h1>Hello</h1></body></html>');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  try {
    await startWebsiteProject(page, webHost.url);
    await openJobsPage(page);
    await page.getByRole('button', { name: 'Create a nightly audit' }).click();
    const dialog = page.getByRole('dialog', { name: 'New job' });
    await expect(dialog.getByLabel('Type')).toHaveValue('site.audit');
    await expect(dialog.getByLabel('Schedule preview').getByRole('listitem')).toHaveCount(5);
    await dialog.getByLabel('URLs to audit').fill(url);
    await dialog.getByRole('button', { name: 'Create job' }).click();
    await expect(dialog).toHaveCount(0);

    const row = jobRow(page, 'Nightly site audit');
    await expect(row).toContainText('At 02:00');
    await row.getByRole('button', { name: 'Run now: Nightly site audit' }).click();
    await expect(runDetails(page).getByRole('heading', { level: 3 })).toHaveText('Succeeded · Run now', { timeout: 60_000 });
    const results = runDetails(page).getByRole('region', { name: 'Audit results' });
    // The page's findings, grouped by severity: title-missing among the errors. (A run of one page
    // opens it at once; otherwise it opens on a click.)
    const pageButton = results.getByRole('button', { name: new RegExp(`${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} `) });
    if ((await pageButton.getAttribute('aria-expanded')) !== 'true') await pageButton.click();
    await expect(pageButton).toHaveAttribute('aria-expanded', 'true');
    await expect(results.getByText('title-missing')).toBeVisible();
  } finally {
    await new Promise<void>((resolve) => site.close(() => resolve()));
  }
});
