/**
 * Settings → GitHub in Chromium: connect with a personal access token against a loopback server
 * replaying a recorded GitHub answer (GET /user), link a repo to the open project (shared state:
 * it is still there after a reload), a bad repo name is refused beside its field, disconnect.
 */
import { recordings as etagRecordings, startEtagReplay } from '../../src-main/core/integrations/github/testing/cache-fixtures/etag-replay-server';
import { recorded, startReplayServer } from '../../src-main/core/integrations/github/testing/octokit-replay-server';
import { startWebsiteProject } from '../support/project-pages';
import { connectWithToken, openGithubSettings } from '../support/github-pages';
import { expect, test } from '../support/web-fixtures';

test('connect GitHub with a token, link a repo to the project, disconnect', async ({ page, webHost }) => {
  const replay = await startReplayServer({ connect: recorded('user-get-2023.json') });
  try {
    const baseUrl = await replay.load('connect');
    await startWebsiteProject(page, webHost.url);
    const settings = await openGithubSettings(page);
    await connectWithToken(settings, baseUrl);
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

test('your repos: a GitHub page at a time, searched and filtered, linked in one click', async ({ page, webHost }) => {
  const github = await startEtagReplay();
  const fixtures = new URL('../../src-main/core/integrations/github/testing/fixtures/', import.meta.url);
  github.serve(etagRecordings('user-get-2023', fixtures), '/user');
  const [first] = etagRecordings('user-repos-list', fixtures);
  // GitHub's documented Link form (testing/fixtures/README.md: no second page was ever recorded).
  const link = '<https://api.github.com/user/repos?page=2>; rel="next", <https://api.github.com/user/repos?page=2>; rel="last"';
  github.serve([{ ...first!, headers: { ...first!.headers, link } }], '/user/repos');
  github.serve(etagRecordings('user-repos-documented', fixtures), '/user/repos?page=2');
  try {
    await startWebsiteProject(page, webHost.url);
    const settings = await openGithubSettings(page);
    await connectWithToken(settings, github.baseUrl);

    const yours = settings.getByRole('region', { name: 'Your repos' });
    const list = yours.getByRole('list', { name: 'Your repos' });
    await expect(list.getByRole('listitem')).toHaveCount(3);
    await yours.getByRole('button', { name: 'More repos' }).click();
    await expect(list.getByRole('listitem')).toHaveCount(4);
    await expect(yours.getByRole('button', { name: 'More repos' })).toHaveCount(0);
    await yours.getByLabel('Search your repos').fill('sandbox');
    await expect(list.getByRole('listitem')).toHaveText([/pengwynn\/api-sandbox · private/]);
    await yours.getByLabel('Search your repos').fill('');
    await yours.getByLabel('Owner').selectOption('octocat');
    await expect(list.getByRole('listitem')).toHaveText([/octocat\/Hello-World/]);
    await list.getByRole('button', { name: 'Link octocat/Hello-World' }).click();
    await expect(settings.getByRole('region', { name: 'Repos linked to Website' }).getByRole('listitem')).toHaveText([/octocat\/Hello-World/]);
    await expect(list.getByRole('listitem')).toContainText('Linked');
  } finally {
    await github.close();
  }
});
