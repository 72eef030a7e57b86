/**
 * Team basics in Settings → Team sync, through a real relay: everyone sees the members with their
 * roles and last visit; an owner also sees the invites they handed out and revokes one, which cuts
 * its holder off; a member sees no invites.
 */
import { expect, openTeamSync, publishAndJoin, screenshot, test } from '../support/team-pages';

test('members with roles and last seen; an owner revokes an invite and its holder is cut off', async ({ browser, page: pageA, webHost: hostA, launchWebHost, relay }, testInfo) => {
  test.setTimeout(180_000);
  const pageB = await publishAndJoin({ browser, pageA, hostA, hostB: launchWebHost({ label: 'web-host-b' }), relay });

  // B, a member: the members, no invites.
  const { settings: settingsB, panel: panelB } = await openTeamSync(pageB);
  const membersOfB = panelB.getByRole('list', { name: 'Members' });
  await expect(membersOfB.getByRole('listitem')).toHaveCount(2, { timeout: 20_000 });
  await expect(membersOfB.getByRole('listitem').filter({ hasText: 'Alice' })).toContainText(/Owner.*last seen/);
  await expect(membersOfB.getByRole('listitem').filter({ hasText: 'Ben' })).toContainText('Ben (you)Member');
  await expect(panelB.getByRole('heading', { name: 'Invites' })).toHaveCount(0);
  await pageB.keyboard.press('Escape');
  await expect(settingsB).toHaveCount(0);

  // A, the owner: the members, and the invite Ben joined with.
  const { panel } = await openTeamSync(pageA);
  const members = panel.getByRole('list', { name: 'Members' });
  await expect(members.getByRole('listitem').filter({ hasText: 'Ben' })).toContainText(/Member.*last seen/, { timeout: 20_000 });
  await expect(members.getByRole('listitem').filter({ hasText: 'Alice' })).toContainText('Alice (you)Owner');
  const invites = panel.getByRole('list', { name: 'Invites' });
  const bensInvite = invites.getByRole('listitem').filter({ hasText: '“Ben”' });
  await expect(bensInvite).toContainText(/Member.*joined as Ben/);

  // Revoke asks once more, then cuts Ben off.
  await bensInvite.getByRole('button', { name: 'Revoke invite “Ben”' }).click();
  await bensInvite.getByRole('group', { name: 'Revoke invite “Ben”?' }).getByRole('button', { name: 'Revoke access' }).click();
  await expect(bensInvite).toContainText('revoked just now');
  await expect(bensInvite.getByRole('button')).toHaveCount(0);
  await bensInvite.scrollIntoViewIfNeeded();
  await screenshot(pageA, 'team-basics', testInfo);
  await expect(pageB.getByRole('button', { name: /^Sync status: Error/ })).toBeVisible({ timeout: 20_000 });
});
