import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { card, column, nextFrames } from '../support/project-pages';
import { expect, test } from '../support/web-fixtures';


/** The board's column names, left to right. */
const stageOrder = (page: Page) =>
  page.locator('section[role="region"][aria-label]').evaluateAll((sections) => sections.map((s) => s.getAttribute('aria-label')));

/** A real pointer drag: press, travel past the activation distance, glide to the target, release. */
async function drag(page: Page, from: Locator, to: Locator) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 12, a.y + a.height / 2 + 4, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + 60, { steps: 20 });
  await page.mouse.move(b.x + b.width / 2, b.y + 64, { steps: 2 });
  await page.mouse.up();
}

test('first run: workspace, project, tasks, drag, edit — all still there after a reload', async ({ page, webHost }, testInfo) => {
  await page.goto(webHost.url);

  // First run: no workspace yet.
  await expect(page.getByRole('heading', { name: 'Welcome to Groundwork' })).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Workspace name').fill('Acme Studio');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { name: 'No projects yet' })).toBeVisible();

  // A project; its key is suggested from the name.
  await page.getByRole('button', { name: 'New project', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Name').fill('Website');
  await expect(dialog.getByLabel('Key')).toHaveValue('WEB');
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('heading', { name: 'Website', level: 1 })).toBeVisible();
  for (const stage of ['Backlog', 'Todo', 'In Progress', 'In Review', 'Done']) await expect(column(page, stage)).toBeVisible();

  // Reorder stages from a column's menu.
  await page.getByRole('button', { name: 'Stage options for Done' }).click();
  await page.getByRole('menuitem', { name: 'Move left' }).click();
  await expect.poll(() => stageOrder(page)).toEqual(['Backlog', 'Todo', 'In Progress', 'Done', 'In Review']);

  // Tasks through the column's quick add.
  await column(page, 'Todo').getByRole('button', { name: /Add task/ }).click();
  const quickAdd = column(page, 'Todo').getByRole('textbox', { name: 'New task title in Todo' });
  for (const title of ['Design homepage', 'Write copy', 'Pick fonts']) {
    await quickAdd.fill(title);
    await quickAdd.press('Enter');
    await expect(card(page, 'Todo', title)).toBeVisible();
  }
  await quickAdd.press('Escape');
  await expect(column(page, 'Todo').getByRole('listitem')).toHaveText([/Design homepage/, /Write copy/, /Pick fonts/]);

  // Drag a card to another column with the mouse.
  await drag(page, card(page, 'Todo', 'Design homepage'), column(page, 'In Progress'));
  await expect(card(page, 'In Progress', 'Design homepage')).toBeVisible();
  await expect(card(page, 'Todo', 'Design homepage')).toHaveCount(0);

  // And one with the keyboard: Space picks it up, arrows move it, Space drops it.
  await card(page, 'Todo', 'Pick fonts').getByRole('button').focus();
  // Each step waits for dnd-kit's screen-reader announcement, so the test hears what a user would.
  const announcer = page.getByRole('status').filter({ hasText: /“Pick fonts”/ });
  await page.keyboard.press('Space');
  await expect(announcer).toHaveText(/Picked up “Pick fonts”|“Pick fonts” is now at .* in Todo/);
  // dnd-kit measures the columns in the effects after pick-up; an arrow before that has nowhere
  // to go. Two frames let them run, as they have long before a person's next key press.
  await nextFrames(page);
  await page.keyboard.press('ArrowRight');
  await expect(announcer).toContainText('in In Progress');
  await page.keyboard.press('Space');
  await expect(announcer).toContainText('Dropped “Pick fonts” in In Progress');
  await expect(card(page, 'In Progress', 'Pick fonts')).toBeVisible();

  // Edit a task in the detail panel.
  await card(page, 'Todo', 'Write copy').click();
  const panel = page.getByRole('complementary', { name: /^Task WEB-2/ });
  await expect(panel).toBeVisible();
  await panel.getByLabel('Title').fill('Write landing copy');
  await panel.getByLabel('Title').press('Enter');
  await panel.getByLabel('Priority').selectOption('high');
  await panel.getByLabel('Add label').fill('copy');
  await panel.getByLabel('Add label').press('Enter');
  await panel.getByLabel('Due date').fill('2026-12-01');
  await panel.getByLabel('Estimate (hours)').fill('3');
  await panel.getByLabel('Estimate (hours)').press('Enter');
  const edited = card(page, 'Todo', 'Write landing copy');
  await expect(edited).toContainText('copy');
  await expect(edited).toContainText('Priority High');
  await expect(edited).toContainText('3h');
  // The panel's activity lists each change, newest first, in words.
  const activity = panel.getByRole('region', { name: 'Activity' });
  await expect(activity.getByRole('listitem').first()).toContainText('set the estimate to 3 h');
  await expect(activity).toContainText('renamed WEB-2 from “Write copy” to “Write landing copy”');
  await expect(activity).toContainText('set the priority to High');
  await expect(activity).toContainText('added label copy');
  await expect(activity).toContainText('created WEB-2');
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  // The edits are saved optimistically; give the last calls a moment to reach the core.
  await page.waitForTimeout(750);

  // Everything comes back from the core after a reload.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Website', level: 1 })).toBeVisible({ timeout: 30_000 });
  await expect(card(page, 'In Progress', 'Design homepage')).toBeVisible();
  expect(await stageOrder(page)).toEqual(['Backlog', 'Todo', 'In Progress', 'Done', 'In Review']);
  await expect(column(page, 'Todo').getByRole('listitem')).toHaveText([/Write landing copy/]);
  await expect(column(page, 'In Progress').getByRole('listitem')).toHaveText([/Pick fonts|Design homepage/, /Pick fonts|Design homepage/]);
  const reloaded = card(page, 'Todo', 'Write landing copy');
  await expect(reloaded).toContainText('WEB-2');
  await expect(reloaded).toContainText('copy');
  await expect(reloaded).toContainText('Priority High');
  await expect(reloaded).toContainText('3h');
  await reloaded.click();
  await expect(page.getByRole('complementary', { name: /^Task WEB-2/ }).getByLabel('Due date')).toHaveValue('2026-12-01');
  await page.keyboard.press('Escape');

  const shot = await page.screenshot();
  await testInfo.attach('board', { body: shot, contentType: 'image/png' });
  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: join('test-results', 'board.png') });
});

test.describe('demo data', () => {
  test.use({ demo: true });

  test('three projects, ~150 tasks, and the List filters by priority', async ({ page, webHost }, testInfo) => {
    await page.goto(webHost.url);
    const projects = page.getByRole('list', { name: 'Projects' }).getByRole('listitem');
    await expect(projects).toHaveCount(3, { timeout: 30_000 });

    let total = 0;
    for (let i = 0; i < 3; i++) {
      await projects.nth(i).getByRole('button').click();
      await page.getByRole('tab', { name: 'List' }).click();
      const count = page.getByRole('search', { name: 'Filter tasks' }).getByRole('status');
      await expect(count).toHaveText(/^\d+ of \d+ tasks$/);
      total += Number(/of (\d+)/.exec((await count.textContent()) ?? '')?.[1]);
    }
    expect(total).toBeGreaterThanOrEqual(120);
    expect(total).toBeLessThanOrEqual(200);

    // Filter the last project's list by priority: every row left is of that priority.
    const count = page.getByRole('search', { name: 'Filter tasks' }).getByRole('status');
    const before = (await count.textContent()) ?? '';
    await page.getByLabel('Filter by priority').selectOption('urgent');
    await expect(count).not.toHaveText(before);
    const rows = page.getByRole('table', { name: 'Tasks' }).locator('tbody tr.task-row');
    const n = await rows.count();
    expect(n).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) await expect(rows.nth(i).locator('td.col-priority')).toHaveText(/Urgent/);
    const [shown, all] = ((await count.textContent()) ?? '').match(/\d+/g)!.map(Number);
    expect(shown).toBeLessThan(all!);

    // Board view of a 50-task project stays whole.
    await page.getByRole('tab', { name: 'List' }).focus();
    await page.keyboard.press('b');
    await expect(page.getByRole('region').first()).toBeVisible();
    await testInfo.attach('demo-board', { body: await page.screenshot(), contentType: 'image/png' });
    await page.screenshot({ path: join('test-results', 'demo-board.png') });
  });
});
