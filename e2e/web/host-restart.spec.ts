/**
 * `npm start` stopped and started again on the same data dir: the tab left open reconnects on its
 * own (the token is kept per data dir), and a tab whose token is not this host's says so and what
 * to do instead of "Reconnecting…" forever.
 */
import { expect, test } from '../support/web-fixtures';

test('a tab left open reconnects after the host restarts; a wrong token is named, not retried', async ({ page, webHost, browser }) => {
  await page.goto(webHost.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Groundwork' })).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Workspace name').fill('Restart Studio');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { name: 'No projects yet' })).toBeVisible();

  const restarted = await webHost.restart();
  expect(restarted.token).toBe(webHost.token);
  expect(restarted.url).toBe(webHost.url);

  // The open tab comes back by itself, and works: a project created after the restart is saved.
  await expect(page.getByRole('alert')).toHaveCount(0, { timeout: 20_000 });
  await page.getByRole('button', { name: 'Create your first project' }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Name', { exact: true }).fill('After restart');
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('heading', { name: 'After restart', level: 1 })).toBeVisible();

  // A tab with someone else's token (or an old link): one clear line, no endless retrying.
  const context = await browser.newContext();
  const stranger = await context.newPage();
  const wrong = new URL(webHost.url);
  wrong.searchParams.set('token', 'not-this-groundworks-token');
  await stranger.goto(wrong.href);
  await expect(stranger.getByRole('alert')).toHaveText('This tab’s access token is not valid for this Groundwork — open the link npm start printed.');
  await expect(stranger.getByText('Reconnecting…')).toHaveCount(0);
  await context.close();
});
