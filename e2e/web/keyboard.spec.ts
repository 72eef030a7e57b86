/**
 * The keyboard alone: creating tasks (every dialog opens in its first field, Enter submits, Esc
 * cancels), moving between cards and rows, and changing the focused task with single keys.
 */
import type { Page } from '@playwright/test';
import { card, column, quickAdd, startWebsiteProject } from '../support/project-pages';
import { expect, test } from '../support/web-fixtures';

/** The task whose card has focus, by the key it shows ("WEB-2"), or null. */
async function focusedTask(page: Page): Promise<string | null> {
  const focused = page.locator('[data-task-nav]:focus');
  if ((await focused.count()) === 0) return null;
  return focused.locator('.task-key').textContent();
}

/** The List row that has focus, by its aria-rowindex (the header row is 1), or null. */
async function focusedRow(page: Page): Promise<string | null> {
  const focused = page.locator('tr[data-task-nav]:focus');
  return (await focused.count()) === 0 ? null : focused.getAttribute('aria-rowindex');
}

test('c, a title, Enter creates the task; Esc cancels; every field and "Create more" from the keyboard', async ({ page, webHost }) => {
  await startWebsiteProject(page, webHost.url);

  // The reported case: focus used to land on the dialog's Close button, so Enter closed it.
  await page.keyboard.press('c');
  const dialog = page.getByRole('dialog', { name: 'New task' });
  await expect(dialog.getByLabel('Title')).toBeFocused();
  await page.keyboard.type('abc');
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(card(page, 'Todo', 'abc')).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Task WEB-1' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('complementary')).toHaveCount(0);

  // Esc cancels: nothing is created.
  await page.keyboard.press('c');
  await page.keyboard.type('never mind');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText('never mind')).toHaveCount(0);

  // Every field, moving with Tab; "Create more" keeps the dialog open for the next task.
  await page.keyboard.press('c');
  await page.keyboard.type('Write docs');
  await page.keyboard.press('Tab');
  await expect(dialog.getByLabel('Description')).toBeFocused();
  await page.keyboard.type('For the launch');
  await dialog.getByLabel('Due date').fill('2026-12-24');
  await dialog.getByLabel('Estimate (hours)').focus();
  await page.keyboard.type('2.5');
  await dialog.getByRole('checkbox', { name: 'Ana' }).focus();
  await page.keyboard.press('Space');
  await dialog.getByLabel('Add label').focus();
  await page.keyboard.type('docs');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('list', { name: 'Labels' })).toContainText('docs');
  await dialog.getByRole('checkbox', { name: 'Create more' }).focus();
  await page.keyboard.press('Space');
  await dialog.getByLabel('Title').focus();
  await page.keyboard.press('Enter');
  // Still open, text cleared, focus back in the title, for the next one.
  await expect(dialog.getByLabel('Title')).toBeFocused();
  await expect(dialog.getByLabel('Title')).toHaveValue('');
  await expect(dialog.getByLabel('Description')).toHaveValue('');
  await page.keyboard.type('Review docs');
  await page.keyboard.press('Enter');
  await expect(dialog.getByLabel('Title')).toHaveValue('');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  const written = card(page, 'Todo', 'Write docs');
  await expect(written).toContainText('docs');
  await expect(written).toContainText('2.5h');
  await expect(written).toContainText('Dec 24');
  await expect(written.getByRole('img', { name: 'Ana' })).toBeVisible();
  // Kept for the batch: the labels and assignees of the one before.
  await expect(card(page, 'Todo', 'Review docs')).toContainText('docs');
  await written.click();
  await expect(page.getByRole('complementary', { name: 'Task WEB-2' }).getByLabel('Description')).toHaveValue('For the launch');
});

test('j/k and the arrows move between cards; Enter opens, Esc closes; single keys change the focused task', async ({ page, webHost }) => {
  await startWebsiteProject(page, webHost.url);
  await quickAdd(page, 'Todo', ['First', 'Second', 'Third']);
  await quickAdd(page, 'In Progress', ['Doing']);
  await page.getByRole('heading', { name: 'Website', level: 1 }).click();

  await page.keyboard.press('j');
  expect(await focusedTask(page)).toBe('WEB-1');
  await page.keyboard.press('j');
  await page.keyboard.press('ArrowDown');
  expect(await focusedTask(page)).toBe('WEB-3');
  await page.keyboard.press('j'); // the end of the column: stays
  expect(await focusedTask(page)).toBe('WEB-3');
  await page.keyboard.press('k');
  expect(await focusedTask(page)).toBe('WEB-2');
  await page.keyboard.press('ArrowRight');
  expect(await focusedTask(page)).toBe('WEB-4');
  await page.keyboard.press('ArrowLeft');
  expect(await focusedTask(page)).toBe('WEB-1');
  await page.keyboard.press('ArrowUp');
  expect(await focusedTask(page)).toBe('WEB-1');

  // Enter opens; Esc closes and gives focus back to the card.
  await page.keyboard.press('Enter');
  await expect(page.getByRole('complementary', { name: 'Task WEB-1' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('complementary')).toHaveCount(0);
  await expect.poll(() => focusedTask(page)).toBe('WEB-1');

  // s: a status listbox; typing narrows it, Enter picks.
  await page.keyboard.press('s');
  const status = page.getByRole('dialog', { name: 'Status of WEB-1' });
  await expect(status.getByRole('listbox', { name: 'Status' })).toBeVisible();
  await expect(status.getByRole('option', { name: 'Todo' })).toHaveAttribute('aria-selected', 'true');
  await expect(status.getByRole('combobox', { name: 'Filter status' })).toBeFocused();
  await page.keyboard.type('in rev');
  await expect(status.getByRole('option')).toHaveText([/^In Review$/]);
  await page.keyboard.press('Enter');
  await expect(status).toHaveCount(0);
  await expect(card(page, 'In Review', 'First')).toBeVisible();
  await expect.poll(() => focusedTask(page)).toBe('WEB-1');

  // 1–4 set the priority at once; p opens its listbox (arrows, Enter).
  await page.keyboard.press('1');
  await expect(card(page, 'In Review', 'First')).toContainText('Priority Urgent');
  await page.keyboard.press('p');
  const priority = page.getByRole('dialog', { name: 'Priority of WEB-1' });
  // (the chosen one carries a ✓ before its name)
  await expect(priority.getByRole('option')).toHaveText([/Urgent$/, /High$/, /Normal$/, /Low$/]);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(card(page, 'In Review', 'First')).toContainText('Priority Low');

  // a and l pick several: Enter toggles, Esc closes; l creates a label from the typed text.
  await page.keyboard.press('a');
  const assignees = page.getByRole('dialog', { name: 'Assignees of WEB-1' });
  await expect(assignees.getByRole('listbox', { name: 'Assignees' })).toHaveAttribute('aria-multiselectable', 'true');
  await page.keyboard.press('Enter');
  await expect(assignees.getByRole('option', { name: 'Ana' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Escape');
  await expect(card(page, 'In Review', 'First').getByRole('img', { name: 'Ana' })).toBeVisible();
  await expect.poll(() => focusedTask(page)).toBe('WEB-1');
  await page.keyboard.press('l');
  const labels = page.getByRole('dialog', { name: 'Labels of WEB-1' });
  await expect(labels.getByRole('combobox', { name: 'Filter labels' })).toBeFocused();
  await page.keyboard.type('bug');
  await expect(labels.getByRole('option')).toHaveText(['Create label “bug”']);
  await page.keyboard.press('Enter');
  await expect(labels.getByRole('option', { name: 'bug' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Escape');
  await expect(card(page, 'In Review', 'First')).toContainText('bug');

  // d: due date presets or a typed date.
  await page.keyboard.press('d');
  // Typed once the picker has focus, as a person types into what they see open.
  await expect(page.getByRole('dialog', { name: 'Due date of WEB-1' }).getByRole('combobox', { name: 'Filter due date' })).toBeFocused();
  await page.keyboard.type('2027-01-15');
  await page.keyboard.press('Enter');
  await expect(card(page, 'In Review', 'First')).toContainText('Jan 15, 2027');

  // Keys do nothing while typing in a field or with a modifier held.
  await page.keyboard.press('Alt+s');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await column(page, 'Todo').getByRole('button', { name: /Add task/ }).click();
  await page.keyboard.type('sdpl');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(column(page, 'Todo').getByRole('textbox')).toHaveValue('sdpl');
  await page.keyboard.press('Escape');

  // Delete removes the focused task, with Undo on the toast (and ⌘/Ctrl+Z).
  await card(page, 'Todo', 'Second').getByRole('button').focus();
  await page.keyboard.press('Delete');
  await expect(card(page, 'Todo', 'Second')).toHaveCount(0);
  await expect.poll(() => focusedTask(page)).toBe('WEB-3');
  const toast = page.getByRole('status').filter({ hasText: 'WEB-2 deleted' });
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(card(page, 'Todo', 'Second')).toBeVisible();
  await card(page, 'Todo', 'Second').getByRole('button').focus();
  await page.keyboard.press('Backspace');
  await expect(card(page, 'Todo', 'Second')).toHaveCount(0);
  await page.keyboard.press('ControlOrMeta+z');
  await expect(card(page, 'Todo', 'Second')).toBeVisible();
});

test.describe('a long list', () => {
  test.use({ demo: true });

  test('j walks the virtualised List row by row, scrolling each into view; the sheet and the palette show the keys', async ({ page, webHost }) => {
    await page.goto(webHost.url);
    const projects = page.getByRole('list', { name: 'Projects' }).getByRole('listitem');
    await expect(projects.first()).toBeVisible({ timeout: 30_000 });
    await projects.first().getByRole('button').first().click();
    await page.getByRole('tab', { name: 'List' }).click();
    const table = page.getByRole('table', { name: 'Tasks' });
    const count = Number(/of (\d+)/.exec((await page.getByRole('search', { name: 'Filter tasks' }).getByRole('status').textContent()) ?? '')?.[1]);
    expect(count).toBeGreaterThan(40);
    await page.getByRole('heading', { level: 1 }).click();

    // Row 1 is the first task; each j the next, past what was rendered at first.
    for (let i = 1; i <= 40; i++) {
      await page.keyboard.press('j');
      await expect.poll(() => focusedRow(page)).toBe(String(i + 1));
    }
    await expect(table.locator('tr:focus')).toBeInViewport();
    await page.keyboard.press('k');
    await expect.poll(() => focusedRow(page)).toBe('40');

    // One list of shortcuts: the sheet lists them all, the palette shows each action's keys.
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const listed: [keys: string, what: string][] = [
      ['S', 'Set status'],
      ['P', 'Set priority'],
      ['A', 'Assign'],
      ['L', 'Labels'],
      ['D', 'Due date'],
      ['J / ↓', 'Next task'],
      ['Delete / Backspace', 'Delete (with Undo)'],
      ['C', 'New task'],
      ['T', 'Show trash'],
    ];
    for (const [keys, what] of listed) {
      await expect(sheet.locator('.shortcut-row').filter({ has: page.getByText(what, { exact: true }) })).toContainText(keys);
    }
    await page.keyboard.press('Escape');
    await page.keyboard.press('ControlOrMeta+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await expect(palette.getByRole('option', { name: /^New task/ })).toContainText('C');
    await expect(palette.getByRole('option', { name: /^Show trash/ })).toContainText('T');
    await expect(palette.getByRole('option', { name: /^Keyboard shortcuts/ })).toContainText('?');
  });
});
