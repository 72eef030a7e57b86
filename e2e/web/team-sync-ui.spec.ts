/**
 * Team sync in the app, without a relay: a new workspace is local only, the status says so in the
 * sidebar and in Settings → Team sync, and a bad invite is refused with the message by its field.
 * (Two and three hosts syncing through a real relay: team-sync.spec.ts.)
 */
import { mkdirSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { expect, test } from '../support/web-fixtures';

test('Settings → Team sync: local only, and an invalid invite is refused by the field', async ({ page, webHost }, testInfo) => {
  await page.goto(webHost.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Groundwork' })).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Workspace name').fill('Solo Studio');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { name: 'No projects yet' })).toBeVisible();

  // Always visible at the bottom of the sidebar.
  const indicator = page.getByRole('button', { name: /^Sync status:/ });
  await expect(indicator).toHaveAccessibleName('Sync status: Local only');
  await expect(indicator).toContainText('Local only');
  // A local workspace is the owner's: every edit control is there, no "View only" badge.
  await expect(page.getByRole('button', { name: 'New project', exact: true })).toBeVisible();
  await expect(page.getByText('View only', { exact: true })).toHaveCount(0);

  // The indicator's details.
  await indicator.click();
  const details = page.getByRole('dialog', { name: 'Sync status' });
  await expect(details.getByRole('region', { name: 'Sync status of this workspace' })).toContainText('Local only');
  await expect(details).toContainText('lives on this machine only');
  await details.getByRole('button', { name: 'Team sync settings…' }).click();

  // …which opens Settings on Team sync.
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings.getByRole('tab', { name: 'Team sync' })).toHaveAttribute('aria-selected', 'true');
  const panel = settings.getByRole('tabpanel', { name: 'Team sync' });
  await expect(panel.getByRole('region', { name: 'Sync status of this workspace' })).toContainText('Local only');
  await expect(panel.getByRole('form', { name: 'Publish this workspace to a relay' })).toBeVisible();
  // Nothing to leave and nobody to invite while the workspace is local.
  await expect(panel.getByRole('button', { name: /Leave workspace/ })).toHaveCount(0);
  await expect(panel.getByRole('form', { name: 'Invite a teammate' })).toHaveCount(0);

  // Join with something that is not an invite: the core's message shows by the field.
  const join = panel.getByRole('form', { name: 'Join a workspace' });
  const invite = join.getByRole('textbox', { name: 'Invite link', exact: true });
  await invite.fill('https://example.com/not-an-invite');
  await join.getByRole('button', { name: 'Join workspace' }).click();
  await expect(invite).toHaveAttribute('aria-invalid', 'true');
  await expect(invite).toHaveAccessibleDescription(/groundwork:\/\/join/i);
  await expect(join.getByRole('alert')).toContainText(/groundwork:\/\/join/i);
  // The field keeps its name; the error is its description, not part of the label.
  await expect(invite).toHaveAccessibleName('Invite link');

  // Nothing was joined: still the one local workspace.
  await expect(settings.getByRole('tabpanel', { name: 'Team sync' }).getByRole('region', { name: 'Sync status of this workspace' })).toContainText('Local only');
  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: joinPath('test-results', 'team-sync-settings.png') });
  await testInfo.attach('team-sync-settings', { body: await page.screenshot(), contentType: 'image/png' });

  // Tabs work from the keyboard too.
  await settings.getByRole('tab', { name: 'Team sync' }).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(settings.getByRole('tab', { name: 'Profile' })).toHaveAttribute('aria-selected', 'true');
  await expect(settings.getByLabel('Display name')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(settings).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Workspace: Solo Studio' })).toBeVisible();
});
