/**
 * The Jobs page's file-writing types through their own forms, on the shipped web host in Chromium:
 * a report export typed into a temp folder (the web host has no folder dialog, so the path field
 * is the way in), run now, its file in the result and on disk with the tasks in it; and a data
 * generator whose preview table shows the core's first rows before the job exists, following the
 * field list as it changes.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { quickAdd, startWebsiteProject } from '../support/project-pages';
import { expect, test } from '../support/web-fixtures';

const jobRow = (page: Page, name: string) => page.getByRole('list', { name: 'Jobs' }).getByRole('listitem').filter({ has: page.getByRole('button', { name, exact: true }) });
const runDetails = (page: Page) => page.getByRole('article', { name: 'Run details' });

async function newJobDialog(page: Page) {
  await page.getByRole('navigation', { name: 'Sidebar' }).getByRole('button', { name: /^Jobs/ }).click();
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  const newJob = page.getByRole('button', { name: 'New job' });
  if (await newJob.count()) await newJob.click();
  else await page.getByRole('button', { name: 'Another kind of job…' }).click();
  return page.getByRole('dialog', { name: 'New job' });
}

let folder: string;
test.beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'groundwork-e2e-export-'));
});
test.afterEach(() => rmSync(folder, { recursive: true, force: true }));

test('a report export typed into a folder: run now, the file in the result and on disk with the tasks', async ({ page, webHost }) => {
  await startWebsiteProject(page, webHost.url);
  await quickAdd(page, 'Todo', ['Design homepage', 'Write copy']);

  const dialog = await newJobDialog(page);
  await dialog.getByLabel('Name').fill('Weekly report');
  await dialog.getByLabel('Type').selectOption({ label: 'Report export' });
  await dialog.getByLabel('Project').selectOption({ label: 'Website' });
  // No dialog in the web host: no Choose… button, the path is typed.
  await expect(dialog.getByRole('button', { name: 'Choose…' })).toHaveCount(0);
  await expect(dialog.getByLabel('What to export')).toHaveValue('');
  await expect(dialog.getByLabel('What to export').locator('option:checked')).toHaveText('This job’s project (Website)');
  await dialog.getByLabel('Format').selectOption('csv');

  // The core's verdict on the folder shows by the folder field.
  await dialog.getByLabel('Export folder').fill('reports/relative');
  await dialog.getByRole('button', { name: 'Create job' }).click();
  await expect(dialog.getByLabel('Export folder')).toHaveAccessibleDescription(/must be an absolute path/i);
  await dialog.getByLabel('Export folder').fill(folder);
  await dialog.getByRole('button', { name: 'Create job' }).click();
  await expect(dialog).toHaveCount(0);

  const row = jobRow(page, 'Weekly report');
  await row.getByRole('button', { name: 'Run now: Weekly report' }).click();
  const details = runDetails(page);
  await expect(details.getByRole('heading', { level: 3 })).toHaveText('Succeeded · Run now', { timeout: 30_000 });
  const files = details.getByRole('table', { name: 'Files written' });
  const tasksRow = files.getByRole('row').filter({ hasText: /groundwork-tasks-WEB-\d{4}-\d{2}-\d{2}\.csv/ });
  await expect(tasksRow).toHaveCount(1);
  await expect(tasksRow.getByRole('cell').nth(2)).toHaveText('2');
  await expect(details.getByRole('region', { name: 'Result' })).toContainText('Exported 1 project and 2 tasks');

  // On disk: the file the result names, with both tasks in it, and nothing half-written beside it.
  const shown = (await tasksRow.getByRole('cell').first().textContent())!.trim();
  expect(shown.startsWith(folder)).toBe(true);
  const csv = readFileSync(shown, 'utf8');
  expect(csv).toContain('Design homepage');
  expect(csv).toContain('Write copy');
  expect(readdirSync(folder).sort()).toEqual(
    expect.arrayContaining([expect.stringMatching(/^groundwork-projects-WEB-.*\.csv$/), expect.stringMatching(/^groundwork-tasks-WEB-.*\.csv$/)]),
  );
  expect(readdirSync(folder)).toHaveLength(2);
});

test('a data generator previews its first rows live before it is created', async ({ page, webHost }) => {
  await startWebsiteProject(page, webHost.url);
  const dialog = await newJobDialog(page);
  await dialog.getByLabel('Name').fill('Test customers');
  await dialog.getByLabel('Type').selectOption({ label: 'Generate data' });

  // The default fields preview at once, before any folder is chosen: a header and rows.
  const preview = dialog.getByRole('table', { name: 'First rows' });
  await expect(preview.getByRole('columnheader')).toHaveText(['id', 'name', 'email', 'plan', 'signed_up']);
  await expect(preview.getByRole('row')).toHaveCount(11);
  await expect(preview.getByRole('row').nth(1).getByRole('cell').first()).toHaveText('1');

  // A field added and set to a range: the preview follows with the new column in range.
  await dialog.getByLabel('Rows', { exact: true }).fill('3');
  await dialog.getByRole('button', { name: 'Add field' }).click();
  const added = dialog.getByRole('list').getByRole('listitem', { name: 'Field 6' });
  // The core's verdict on a column name (its schema's rule) shows by that field, live.
  await added.getByLabel('Column name').fill('2score');
  await expect(added.getByLabel('Column name')).toHaveAccessibleDescription(/must be a column name/i);
  await added.getByLabel('Column name').fill('score');
  await expect(added.getByLabel('Column name')).not.toHaveAttribute('aria-invalid', 'true');
  await added.getByLabel('Kind').selectOption({ label: 'Whole number in a range' });
  await added.getByLabel('Min').fill('90');
  await added.getByLabel('Max').fill('80');
  await expect(added.getByLabel('Max')).toHaveAccessibleDescription(/less than min/i);
  await added.getByLabel('Max').fill('99');
  await expect(preview.getByRole('columnheader')).toHaveText(['id', 'name', 'email', 'plan', 'signed_up', 'score']);
  await expect(preview.getByRole('row')).toHaveCount(4);
  for (const score of await preview.getByRole('row').locator('td:last-child').allTextContents()) {
    expect(Number(score)).toBeGreaterThanOrEqual(90);
    expect(Number(score)).toBeLessThanOrEqual(99);
  }

  // Then it is created (the folder typed), and shows on the page.
  await dialog.getByLabel('Output folder').fill(folder);
  await dialog.getByRole('button', { name: 'Create job' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(jobRow(page, 'Test customers')).toContainText('Generate data');
});
