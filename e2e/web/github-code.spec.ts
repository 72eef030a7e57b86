/**
 * The project's Code page and a task's Code section before GitHub is connected or a repo linked:
 * each says what is missing and leads to Settings → GitHub. (Repo views, syncs and actions need
 * the core's sync and actions; the integrator's tests cover them.)
 */
import { card, quickAdd, startWebsiteProject } from '../support/project-pages';
import { expect, test } from '../support/web-fixtures';

test('Code page and task Code section: not connected, no repo linked, the way to Settings; the page survives a reload', async ({ page, webHost }) => {
  await startWebsiteProject(page, webHost.url);
  await quickAdd(page, 'Todo', ['Hero image']);

  await page.getByRole('tab', { name: 'Code' }).click();
  await expect(page.getByRole('heading', { name: 'No repo linked to Website' })).toBeVisible();
  await expect(page.getByText('GitHub is not connected on this machine')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sync now' })).toHaveCount(0);
  await expect(page).toHaveURL(/#\/project\/[0-9a-f-]+\/code$/);

  // A reload comes back to the Code page.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'No repo linked to Website' })).toBeVisible({ timeout: 30_000 });

  // "Open Settings → GitHub" opens Settings on its GitHub tab.
  await page.getByRole('button', { name: 'Open Settings → GitHub' }).first().click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings.getByRole('tab', { name: 'GitHub' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Escape');
  await expect(settings).toHaveCount(0);

  // The task's Code section says the same, with the way to link one.
  await page.getByRole('tab', { name: 'Board' }).click();
  await card(page, 'Todo', 'Hero image').click();
  const code = page.getByRole('complementary', { name: 'Task WEB-1' }).getByRole('region', { name: 'Code' });
  await expect(code).toContainText('No repo is linked to this project');
  await expect(code).toContainText('GitHub is not connected on this machine');
  await code.getByRole('button', { name: 'Link one in Settings → GitHub' }).click();
  await expect(settings.getByRole('tab', { name: 'GitHub' })).toHaveAttribute('aria-selected', 'true');
  await expect(settings.getByRole('region', { name: 'Repos linked to Website' })).toBeVisible();
});
