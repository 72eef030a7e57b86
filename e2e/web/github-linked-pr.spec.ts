/**
 * GitHub end to end in Chromium: sign in with a token against a loopback server replaying
 * recorded GitHub answers, link a repo to the project, sync it, and see a task's linked pull
 * request — on the project's Code page and in the task's Code section, where the move the merged
 * PR made ("fixes WEB-1" → Done) can be undone. The scenario and what it changes in the recordings:
 * src-main/core/integrations/github/testing/sync-scenario.ts.
 */
import { startEtagReplay } from '../../src-main/core/integrations/github/testing/cache-fixtures/etag-replay-server';
import { repo, scenarioTasks, serveRepo } from '../../src-main/core/integrations/github/testing/sync-scenario';
import { card, column, quickAdd, startWebsiteProject } from '../support/project-pages';
import { connectWithToken, linkRepoAndSync, openGithubSettings } from '../support/github-pages';
import { expect, test } from '../support/web-fixtures';

test('sign in with a token, link a repo, sync, and see the task’s linked PR (and undo the move it made)', async ({ page, webHost }) => {
  const github = await startEtagReplay();
  serveRepo(github);
  try {
    await startWebsiteProject(page, webHost.url);
    await quickAdd(page, 'Todo', scenarioTasks);

    const settings = await openGithubSettings(page);
    await connectWithToken(settings, github.baseUrl);
    await expect(settings.getByRole('region', { name: 'GitHub connection' })).toContainText('as EnricoMi');
    await linkRepoAndSync(page, settings, repo);
    const repoView = page.getByRole('region', { name: repo });
    const pulls = repoView.getByRole('list', { name: 'Pull requests', exact: true });
    await expect(pulls.getByRole('listitem').filter({ hasText: '#403' })).toContainText('Merged');
    await expect(pulls.getByRole('listitem').filter({ hasText: '#403' }).getByRole('button', { name: /^Open WEB-1/ })).toBeVisible();

    // The task itself: its PR, and the move the merged PR made.
    await page.getByRole('tab', { name: 'Board' }).click();
    await expect(column(page, 'Done')).toContainText(scenarioTasks[0]!);
    await card(page, 'Done', scenarioTasks[0]!).click();
    const code = page.getByRole('complementary', { name: 'Task WEB-1' }).getByRole('region', { name: 'Code' });
    const taskPulls = code.getByRole('list', { name: 'Pull requests', exact: true });
    await expect(taskPulls.getByRole('listitem')).toHaveCount(1);
    await expect(taskPulls.getByRole('listitem')).toContainText('#403');
    await expect(taskPulls.getByRole('listitem')).toContainText('fixes WEB-1');
    await expect(taskPulls.getByRole('listitem')).toContainText('Merged');
    // The task's activity says who moved it, and names the PR.
    const activity = page.getByRole('complementary', { name: 'Task WEB-1' }).getByRole('region', { name: 'Activity' });
    await expect(activity.getByRole('listitem').first()).toContainText('Ana moved WEB-1 from Todo to Done — merged pull request #403');
    await expect(activity.getByRole('link', { name: /#403/ })).toHaveAttribute('href', /\/pull\/403$/);
    const moves = code.getByRole('list', { name: 'Moves by pull requests' });
    await moves.getByRole('button', { name: /^Undo: Moved to Done by #403/ }).click();
    await expect(moves.getByRole('listitem')).toContainText('undone, back to Todo');
    await expect(activity.getByRole('listitem').first()).toContainText('Ana moved WEB-1 from Done to Todo, undoing the move by #403');
    await page.keyboard.press('Escape');
    await expect(card(page, 'Todo', scenarioTasks[0]!)).toBeVisible();
  } finally {
    await github.close();
  }
});
