/**
 * Team sync across machines, as people use it: a real relay on 127.0.0.1 (port 0, in-memory
 * storage) and two (then three) web hosts — each its own process and PGlite replica — with a
 * browser page each. A publishes its workspace with the relay's owner invite and invites B from
 * the app; B joins from the first-run screen. Edits made in one browser appear in the other
 * without a reload, both ways; a viewer sees everything and can change nothing.
 */
import { card, column, createAndPublish, createInvite, expect, joinFromFirstRun, openPage, openProject, screenshot, syncedIndicator, test } from '../support/team-pages';

test('two web hosts on one relay: a task made in one browser appears in the other without reload, both ways', async ({
  browser,
  page: pageA,
  webHost: hostA,
  launchWebHost,
  relay,
}, testInfo) => {
  test.setTimeout(180_000);
  // B's host starts while A's page is being set up.
  const hostBStarting = launchWebHost({ label: 'web-host-b' });

  await test.step('A creates a workspace and publishes it with the relay’s owner invite', async () => {
    await createAndPublish(pageA, hostA.url, relay);
  });

  const hostB = await hostBStarting;
  const pageB = await openPage(browser, hostB.url);

  await test.step('A invites B from the app; B joins from the first-run screen', async () => {
    const invite = await createInvite(pageA, 'member', 'Ben');
    await joinFromFirstRun(pageB, invite);
    await expect(syncedIndicator(pageB)).toBeVisible({ timeout: 20_000 });
  });

  await test.step('A creates a project and a task; B sees both appear', async () => {
    await pageA.getByRole('button', { name: 'New project', exact: true }).click();
    const dialog = pageA.getByRole('dialog', { name: 'New project' });
    await dialog.getByLabel('Name').fill('Website');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await expect(pageA.getByRole('heading', { name: 'Website', level: 1 })).toBeVisible();
    await column(pageA, 'Todo').getByRole('button', { name: /Add task/ }).click();
    const quickAdd = column(pageA, 'Todo').getByRole('textbox', { name: 'New task title in Todo' });
    await quickAdd.fill('Design homepage');
    await quickAdd.press('Enter');
    await expect(card(pageA, 'Todo', 'Design homepage')).toBeVisible();
    await quickAdd.press('Escape');

    // B never reloads: the project arrives in its sidebar, the task on its board.
    await openProject(pageB, 'Website');
    await expect(card(pageB, 'Todo', 'Design homepage')).toBeVisible({ timeout: 20_000 });

    // …and a task created while B is looking at the board appears on it too.
    await column(pageA, 'Todo').getByRole('button', { name: /Add task/ }).click();
    await quickAdd.fill('Write copy');
    await quickAdd.press('Enter');
    await expect(card(pageA, 'Todo', 'Write copy')).toBeVisible();
    await quickAdd.press('Escape');
    await expect(card(pageB, 'Todo', 'Write copy')).toBeVisible({ timeout: 20_000 });
  });

  await test.step('B moves and renames the task; A sees it', async () => {
    await card(pageB, 'Todo', 'Design homepage').click();
    const panel = pageB.getByRole('complementary', { name: /^Task WEB-1/ });
    await expect(panel).toBeVisible();
    await panel.getByLabel('Stage').selectOption({ label: 'In Progress' });
    await expect(card(pageB, 'In Progress', 'Design homepage')).toBeVisible();
    await panel.getByLabel('Title').fill('Design the homepage');
    await panel.getByLabel('Title').press('Enter');
    await panel.getByLabel('Priority').selectOption('high');
    await expect(card(pageB, 'In Progress', 'Design the homepage')).toContainText('Priority High');
    await pageB.keyboard.press('Escape');

    const moved = card(pageA, 'In Progress', 'Design the homepage');
    await expect(moved).toBeVisible({ timeout: 20_000 });
    await expect(moved).toContainText('Priority High');
    await expect(card(pageA, 'Todo', 'Design')).toHaveCount(0);
    await expect(column(pageA, 'Todo').getByRole('listitem')).toHaveText([/Write copy/]);
  });

  await test.step('both sidebars read Synced, nothing pending', async () => {
    await expect(syncedIndicator(pageA)).toBeVisible({ timeout: 20_000 });
    await expect(syncedIndicator(pageB)).toBeVisible({ timeout: 20_000 });
    await expect(syncedIndicator(pageA)).not.toHaveAccessibleName(/not yet synced/, { timeout: 20_000 });
    await expect(syncedIndicator(pageB)).not.toHaveAccessibleName(/not yet synced/, { timeout: 20_000 });
    // Task counts follow the tasks on both sides, local and remote.
    for (const page of [pageA, pageB]) await expect(page.getByText('0/2 done')).toBeVisible({ timeout: 10_000 });
    await screenshot(pageA, 'team-sync-board-a', testInfo);
    await screenshot(pageB, 'team-sync-board-b', testInfo);
  });

  await test.step('a viewer invite: C sees the board, "View only", and no New task button', async () => {
    const invite = await createInvite(pageA, 'viewer', 'Cleo');
    const hostC = await launchWebHost({ label: 'web-host-c' });
    const pageC = await openPage(browser, hostC.url);
    await joinFromFirstRun(pageC, invite, 'Cleo');
    await openProject(pageC, 'Website');
    await expect(card(pageC, 'In Progress', 'Design the homepage')).toBeVisible({ timeout: 20_000 });
    await expect(card(pageC, 'Todo', 'Write copy')).toBeVisible();
    await expect(pageC.getByText('View only', { exact: true }).first()).toBeVisible();
    await expect(pageC.getByRole('button', { name: 'New task', exact: true })).toHaveCount(0);
    await expect(syncedIndicator(pageC)).toBeVisible({ timeout: 20_000 });
    // The owner still edits, and the viewer sees it.
    await column(pageA, 'Todo').getByRole('button', { name: /Add task/ }).click();
    const quickAdd = column(pageA, 'Todo').getByRole('textbox', { name: 'New task title in Todo' });
    await quickAdd.fill('Pick fonts');
    await quickAdd.press('Enter');
    await quickAdd.press('Escape');
    await expect(card(pageC, 'Todo', 'Pick fonts')).toBeVisible({ timeout: 20_000 });
    await screenshot(pageC, 'team-sync-board-viewer', testInfo);
    await pageC.context().close();
  });

  await pageB.context().close();
});
