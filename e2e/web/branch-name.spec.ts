/**
 * "Copy branch name" from a task's menu: the core names the branch (`github.branchName`: the
 * person, the task's key and title, the pattern preference) and the name lands on the clipboard.
 */
import { card, quickAdd, startWebsiteProject } from '../support/project-pages';
import { expect, test } from '../support/web-fixtures';

test('Copy branch name puts the task’s branch name on the clipboard and says so', async ({ page, webHost }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(webHost.url).origin });
  await startWebsiteProject(page, webHost.url);
  await quickAdd(page, 'Todo', ['Fix the login: “Ünïcode” & spaces!']);
  await card(page, 'Todo', 'Fix the login').click();
  const panel = page.getByRole('complementary', { name: 'Task WEB-1' });
  await panel.getByRole('button', { name: 'Task options' }).click();
  await page.getByRole('menuitem', { name: 'Copy branch name' }).click();

  const toast = page.getByRole('status').filter({ hasText: 'Copied branch name' });
  await expect(toast).toContainText(/\/web-1-fix-the-login-unicode-spaces/);
  const copied = await page.evaluate<string>('navigator.clipboard.readText()');
  expect(copied).toMatch(/^[a-z0-9._-]+\/web-1-fix-the-login-unicode-spaces$/);
  expect(await toast.textContent()).toContain(copied);
});
