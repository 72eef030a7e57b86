/**
 * Backup and restore end to end through the shipped web host in Chromium: a backup job made with
 * the backup form (folder typed, as the web host has no folder dialog), run now; the data changed
 * afterwards; Settings → Backups → Restore… → the confirmation says what happens → the page shows
 * the restart, reconnects by itself and the board shows the data as it was at the backup, with the
 * safety backup of what was replaced listed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectHostApi } from '../support/host-api';
import { card, startWebsiteProject } from '../support/project-pages';
import { expect, test } from '../support/web-fixtures';

test('create a backup job, run it, change the data, restore the backup from Settings and see the data as it was', async ({ page, webHost }) => {
  const folder = mkdtempSync(join(tmpdir(), 'groundwork-e2e-backups-'));
  try {
    await startWebsiteProject(page, webHost.url);
    const host = await connectHostApi(webHost);
    const workspace = (await host.api.workspaces.current())!;
    const [project] = await host.api.projects.list({ workspaceId: workspace.id });
    const kept = await host.api.tasks.create({ projectId: project!.id, title: 'Keep me' });
    await expect(card(page, 'Backlog', 'Keep me')).toBeVisible();

    // Settings → Backups before any backup: the empty state points to a backup job.
    await page.getByRole('button', { name: /^Settings:/ }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('tab', { name: 'Backups' }).click();
    await expect(settings.getByRole('heading', { name: 'No backups yet' })).toBeVisible();
    await settings.getByRole('button', { name: 'Create a backup job' }).click();

    // The backup form, in the browser: the job dialog opened on the Jobs page, prefilled.
    const dialog = page.getByRole('dialog', { name: 'New job' });
    await expect(dialog.getByLabel('Type')).toHaveValue('backup');
    await expect(dialog.getByLabel('Name')).toHaveValue('Nightly backup');
    await dialog.getByRole('button', { name: 'Create job' }).click();
    await expect(dialog.getByText('Choose the folder the backups go into')).toBeVisible();
    await dialog.getByLabel('Backup folder').fill(folder);
    await dialog.getByLabel('Keep the newest').fill('5');
    await dialog.getByRole('button', { name: 'Create job' }).click();
    await expect(dialog).toHaveCount(0);

    const row = page.getByRole('list', { name: 'Jobs' }).getByRole('listitem').filter({ hasText: 'Nightly backup' });
    await row.getByRole('button', { name: 'Run now: Nightly backup' }).click();
    await expect(page.getByRole('article', { name: 'Run details' }).getByRole('heading', { level: 3 })).toHaveText('Succeeded · Run now', { timeout: 30_000 });
    // The job's page lists the backup it wrote.
    const jobBackups = page.getByRole('table', { name: 'Backups' });
    await expect(jobBackups.getByRole('row')).toHaveCount(2);
    await expect(jobBackups).toContainText('Job “Nightly backup”');

    // After the backup: a rename and a new task.
    await host.api.tasks.update({ id: kept.id, title: 'Renamed after the backup' });
    await host.api.tasks.create({ projectId: project!.id, title: 'Made after the backup' });
    await page.getByRole('navigation', { name: 'Sidebar' }).getByRole('button', { name: /Website/ }).click();
    await expect(card(page, 'Backlog', 'Made after the backup')).toBeVisible();
    await expect(card(page, 'Backlog', 'Renamed after the backup')).toBeVisible();

    // Restore from Settings → Backups, with the confirmation saying what happens.
    await page.getByRole('button', { name: /^Settings:/ }).click();
    await settings.getByRole('tab', { name: 'Backups' }).click();
    const table = settings.getByRole('table', { name: 'Backups' });
    await expect(table.getByRole('row')).toHaveCount(2);
    await table.getByRole('button', { name: /^Restore the backup of/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Restore this backup?' });
    await expect(confirm).toContainText('Groundwork restarts');
    await expect(confirm).toContainText('safety backup');
    await expect(confirm).toContainText('the relay brings back everything newer');
    await confirm.getByRole('button', { name: 'Restore and restart' }).click();
    await expect(confirm).toHaveCount(0);
    await expect(settings.getByRole('status').filter({ hasText: /^Restoring the backup of .*the app will reconnect/ })).toBeVisible();

    // The page reconnects by itself and says how the restore went.
    await expect(settings.getByRole('status').filter({ hasText: /^Restored the backup/ })).toBeVisible({ timeout: 60_000 });
    await expect(settings.getByRole('status')).toContainText('safety backup');
    await expect(table.getByRole('row')).toHaveCount(3);
    await expect(table).toContainText('Safety backup (before a restore)');
    await settings.getByRole('button', { name: 'Close' }).first().click();
    await expect(card(page, 'Backlog', 'Keep me')).toBeVisible();
    await expect(card(page, 'Backlog', 'Made after the backup')).toHaveCount(0);
    await expect(card(page, 'Backlog', 'Renamed after the backup')).toHaveCount(0);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
