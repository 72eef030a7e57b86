/**
 * Settings → GitHub in Chromium: connect with a personal access token against a loopback server
 * replaying a recorded GitHub answer (GET /user), link a repo to the open project (shared state:
 * it is still there after a reload), a bad repo name is refused beside its field, disconnect.
 */
import { recorded, startReplayServer } from '../../src-main/core/integrations/github/testing/octokit-replay-server';
import { startWebsiteProject } from '../support/project-pages';
import { expect, test } from '../support/web-fixtures';

test('connect GitHub with a token, link a repo to the project, disconnect', async ({ page, webHost }) => {
  const replay = await startReplayServer({ connect: recorded('user-get-2023.json') });
  try {
    const baseUrl = await replay.load('connect');
    await startWebsiteProject(page, webHost.url);
    await page.getByRole('button', { name: /^Settings:/ }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('tab', { name: 'GitHub' }).click();

    const connect = settings.getByRole('region', { name: 'Connect GitHub' });
    await connect.getByLabel('GitHub Enterprise API address').fill(baseUrl);
    const tokenForm = connect.getByRole('form', { name: 'Connect with a token' });
    await tokenForm.getByLabel('Personal access token').fill('ghu_acceptedToken000');
    await tokenForm.getByRole('button', { name: 'Connect' }).click();
    const connection = settings.getByRole('region', { name: 'GitHub connection' });
    await expect(connection).toContainText('as EnricoMi');
    await expect(connection).toContainText('Requests left');

    const repos = settings.getByRole('region', { name: 'Repos linked to Website' });
    await expect(repos).toContainText('No repo linked yet');
    const field = repos.getByLabel('Repo (owner/name)');
    await field.fill('not a repo');
    await repos.getByRole('button', { name: 'Link repo' }).click();
    await expect(field).toHaveAccessibleDescription(/owner\/name/);
    await field.fill('octo-org/website');
    await repos.getByRole('button', { name: 'Link repo' }).click();
    await expect(repos.getByRole('listitem')).toHaveText([/octo-org\/website/]);

    // Shared state, stored: after a reload the link is there.
    await page.reload();
    await page.getByRole('button', { name: /^Settings:/ }).click();
    await settings.getByRole('tab', { name: 'GitHub' }).click();
    await expect(settings.getByRole('region', { name: 'Repos linked to Website' }).getByRole('listitem')).toHaveText([/octo-org\/website/]);

    await settings.getByRole('region', { name: 'GitHub connection' }).getByRole('button', { name: 'Disconnect' }).click();
    await expect(settings.getByRole('region', { name: 'Connect GitHub' })).toBeVisible();
  } finally {
    await replay.close();
  }
});
