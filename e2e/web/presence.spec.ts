/**
 * Presence as people see it in web mode: names are the ones people gave (first run and joining ask,
 * prefilled with the computer's account name — nobody is "Me"), and a person stops being shown as
 * viewing once their last tab is closed, while their Groundwork keeps running.
 */
import { userInfo } from 'node:os';
import { column, createFromFirstRun, expect, openProject, openTeamSync, publishAndJoin, test } from '../support/team-pages';

test('first run asks for a name (the OS account prefilled); a teammate stops "viewing" when their last tab closes', async ({ browser, page: pageA, webHost: hostA, launchWebHost, relay }) => {
  test.setTimeout(180_000);
  const hostB = launchWebHost({ label: 'web-host-b' });

  await pageA.goto(hostA.url);
  await expect(pageA.getByRole('textbox', { name: 'Your name' })).toHaveValue(userInfo().username, { timeout: 30_000 });
  const pageB = await publishAndJoin({ browser, pageA, hostA, hostB, relay });

  await pageA.getByRole('button', { name: 'New project', exact: true }).click();
  const dialog = pageA.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Name').fill('Website');
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(column(pageA, 'Todo')).toBeVisible();

  // Ben looks at the project in two tabs: Alice sees him once, by the name he gave.
  await openProject(pageB, 'Website');
  const secondTabOfB = await pageB.context().newPage();
  await secondTabOfB.goto((await hostB).url);
  await openProject(secondTabOfB, 'Website');
  const viewing = pageA.getByRole('group', { name: 'Also viewing' });
  await expect(viewing).toHaveAttribute('title', 'Ben is viewing', { timeout: 20_000 });
  await expect(viewing.getByRole('img')).toHaveCount(1);
  // …and Ben sees Alice, not "Me".
  await expect(pageB.getByRole('group', { name: 'Also viewing' })).toHaveAttribute('title', 'Alice is viewing', { timeout: 20_000 });

  // One tab closed: still viewing. The last one closed: gone, though B's host still runs.
  await secondTabOfB.close();
  await expect(viewing).toHaveAttribute('title', 'Ben is viewing');
  await pageB.close();
  await expect(viewing).toHaveCount(0, { timeout: 20_000 });
});

test('the name given on the first run is the profile\'s', async ({ page, webHost }) => {
  await page.goto(webHost.url);
  await createFromFirstRun(page, 'Solo Studio', 'Dana Ruiz');
  const { settings } = await openTeamSync(page);
  await settings.getByRole('tab', { name: 'Profile' }).click();
  await expect(settings.getByLabel('Display name')).toHaveValue('Dana Ruiz');
});
