/**
 * Deletes can be undone: Undo on the toast, a Trash per project (restore, delete forever after a
 * confirmation), and destructive actions kept in "⋯" menus behind a confirmation.
 */
import { card, quickAdd, startWebsiteProject } from '../support/project-pages';
import { expect, test } from '../support/web-fixtures';

test('a deleted task comes back by Undo or from the Trash; delete forever asks first and lasts', async ({ page, webHost }) => {
  await startWebsiteProject(page, webHost.url);
  await quickAdd(page, 'Todo', ['Hero image', 'Old banner']);

  // Nothing destructive is on screen in red: Delete task lives in the panel's menu, behind a confirmation.
  await card(page, 'Todo', 'Hero image').click();
  const panel = page.getByRole('complementary', { name: 'Task WEB-1' });
  await expect(panel.getByRole('button', { name: /Delete/ })).toHaveCount(0);
  await panel.getByRole('button', { name: 'Task options' }).click();
  await page.getByRole('menuitem', { name: 'Delete task…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete WEB-1?' });
  await expect(confirm.getByRole('button', { name: 'Delete task' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(card(page, 'Todo', 'Hero image')).toHaveCount(0);

  // Undo on the toast.
  await page.getByRole('status').filter({ hasText: 'WEB-1 deleted' }).getByRole('button', { name: 'Undo' }).click();
  await expect(card(page, 'Todo', 'Hero image')).toBeVisible();

  // Deleted again and the panel closed: the Trash still has it, and restores it.
  await panel.getByRole('button', { name: 'Task options' }).click();
  await page.getByRole('menuitem', { name: 'Delete task…' }).click();
  await page.getByRole('dialog', { name: 'Delete WEB-1?' }).getByRole('button', { name: 'Delete task' }).click();
  await panel.getByRole('button', { name: 'Close task details' }).click();
  await expect(card(page, 'Todo', 'Hero image')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Trash' }).click();
  const trash = page.getByRole('list', { name: 'Deleted tasks' });
  await expect(trash.getByRole('listitem')).toHaveText([/WEB-1 Hero image/]);
  await trash.getByRole('button', { name: 'Restore WEB-1' }).click();
  await expect(page.getByRole('heading', { name: 'Trash is empty' })).toBeVisible();
  await page.getByRole('tab', { name: 'Board' }).click();
  await expect(card(page, 'Todo', 'Hero image')).toBeVisible();

  // Delete forever: only from the Trash, after a confirmation that Esc cancels.
  await card(page, 'Todo', 'Old banner').getByRole('button').focus();
  await page.keyboard.press('Delete');
  await expect(card(page, 'Todo', 'Old banner')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Trash' }).click();
  await trash.getByRole('button', { name: 'Delete forever WEB-2' }).click();
  const forever = page.getByRole('dialog', { name: 'Delete WEB-2 forever?' });
  await expect(forever).toContainText('cannot be undone');
  await page.keyboard.press('Escape');
  await expect(forever).toHaveCount(0);
  await expect(trash.getByRole('listitem')).toHaveCount(1);
  await trash.getByRole('button', { name: 'Delete forever WEB-2' }).click();
  await forever.getByRole('button', { name: 'Delete forever' }).click();
  await expect(page.getByRole('heading', { name: 'Trash is empty' })).toBeVisible();

  // Gone from the core too: not after a reload, on the Trash or the board.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Trash is empty' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('tab', { name: 'Board' }).click();
  await expect(card(page, 'Todo', 'Hero image')).toBeVisible();
  await expect(card(page, 'Todo', 'Old banner')).toHaveCount(0);
});

test('deleting a project is in its "⋯" menu, behind a confirmation', async ({ page, webHost }) => {
  await startWebsiteProject(page, webHost.url);
  await expect(page.getByRole('button', { name: /Delete project/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Archive/ })).toHaveCount(0);

  await page.getByRole('button', { name: 'Project options' }).click();
  // The menu is operated with the arrow keys; focus starts on its first item.
  await expect(page.getByRole('menuitem', { name: 'Archive project' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Delete project…' })).toBeFocused();
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: 'Delete project?' });
  await expect(confirm).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Website', level: 1 })).toBeVisible();

  await page.getByRole('button', { name: 'Project options' }).click();
  await page.getByRole('menuitem', { name: 'Delete project…' }).click();
  await confirm.getByRole('button', { name: 'Delete project' }).click();
  await expect(page.getByRole('heading', { name: 'Website', level: 1 })).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Projects' }).getByRole('listitem')).toHaveCount(0);
});
