/**
 * "Where I was": the app opens on the last project and view, and a project's filters and
 * sorting are the same on Board and List and come back after a restart — kept by the core (local
 * preferences), not by the browser, so a fresh browser on the same data dir finds them too.
 */
import { expect, test } from '../support/web-fixtures';
import { addTasks, card, column, createProject, createWorkspace, recordCalls } from '../support/first-run';

test('the last project, view, filters and sorting come back in a fresh browser; the Board filters like the List', async ({ page, webHost, browser }) => {
  const prefs = recordCalls(page, 'preferences.set');
  await createWorkspace(page, webHost.url);
  await createProject(page, 'Website');
  await addTasks(page, 'Todo', ['Design homepage', 'Write copy', 'Pick fonts']);
  await card(page, 'Todo', 'Write copy').click();
  const panel = page.getByRole('complementary', { name: /^Task WEB-2/ });
  await panel.getByLabel('Priority').selectOption('high');
  await page.keyboard.press('Escape');
  await card(page, 'Todo', 'Pick fonts').click();
  await page.getByRole('complementary', { name: /^Task WEB-3/ }).getByLabel('Priority').selectOption('high');
  await page.keyboard.press('Escape');

  // The Board has the List's filters.
  await page.getByRole('search', { name: 'Filter tasks' }).getByLabel('Filter by priority').selectOption('high');
  await expect(column(page, 'Todo').getByRole('listitem')).toHaveText([/Write copy/, /Pick fonts/]);
  await expect(page.getByRole('status').filter({ hasText: 'tasks' })).toHaveText('2 of 3 tasks');

  // The List keeps them; sorting by title, descending.
  await page.getByRole('tab', { name: 'List' }).click();
  await expect(page.getByLabel('Filter by priority')).toHaveValue('high');
  const table = page.getByRole('table', { name: 'Tasks' });
  await table.getByRole('button', { name: 'Title' }).click();
  await table.getByRole('button', { name: 'Title' }).click();
  await expect(table.locator('tbody .row-title')).toHaveText(['Write copy', 'Pick fonts']);

  // Another project meanwhile, then back to Website's List.
  await createProject(page, 'Mobile');
  await page.getByRole('list', { name: 'Projects' }).getByRole('listitem').filter({ hasText: 'Website' }).getByRole('button').first().click();
  await expect(page.getByRole('heading', { name: 'Website', level: 1 })).toBeVisible();
  await page.getByRole('tab', { name: 'List' }).click();
  await expect(table.locator('tbody .row-title')).toHaveText(['Write copy', 'Pick fonts']);
  // Filters are stored once changes pause (the text filter is not stored per keystroke): wait until they went out.
  await expect
    .poll(() => prefs.some((p) => String(p.key).startsWith('project-view:') && (p.value as { sort?: { dir?: string } }).sort?.dir === 'desc'))
    .toBe(true);
  await expect.poll(() => prefs.some((p) => String(p.key).startsWith('place:') && (p.value as { view?: string }).view === 'list')).toBe(true);

  // A fresh browser (no URL place, no storage of its own) opens where the person was.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const fresh = await context.newPage();
  await fresh.goto(webHost.url);
  await expect(fresh.getByRole('heading', { name: 'Website', level: 1 })).toBeVisible({ timeout: 30_000 });
  await expect(fresh.getByRole('tab', { name: 'List' })).toHaveAttribute('aria-selected', 'true');
  await expect(fresh.getByLabel('Filter by priority')).toHaveValue('high');
  await expect(fresh.getByRole('table', { name: 'Tasks' }).locator('tbody .row-title')).toHaveText(['Write copy', 'Pick fonts']);
  await fresh.getByRole('tab', { name: 'Board' }).click();
  await expect(column(fresh, 'Todo').getByRole('listitem')).toHaveText([/Write copy/, /Pick fonts/]);
  await context.close();
});
