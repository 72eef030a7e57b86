/**
 * Restoring a backup through a real web host (temp data dir, 127.0.0.1 port 0): a tab backs up
 * with the backup job, changes the data, asks for the restore; the host closes the tab's socket,
 * restarts the core on the restored replica, and the reconnected tab sees the data as it was at
 * the backup, with a safety backup of what was replaced listed. A damaged backup is refused while
 * the core keeps serving the same socket.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Client, type Workspace } from '../contract';
import { openWebSocketClient } from '../rpc/websocket-client';
import { manifestPath } from '../core/backups/backup-files';
import { eventually } from '../core/testing/team';
import { runHere } from '../core/jobs/testing/run-here';
import { tempDir } from '../core/testing/temp-core';
import { startWebHost, type WebHost } from './web-host';

const root = tempDir('gw-host-restore-');
const dataDir = join(root.path, 'data');
const backupFolder = join(root.path, 'backups');
let host: WebHost;

beforeAll(async () => {
  mkdirSync(join(root.path, 'renderer'));
  mkdirSync(backupFolder);
  writeFileSync(join(root.path, 'renderer', 'index.html'), '<!doctype html><title>Groundwork</title>');
  host = await startWebHost({ port: 0, dataDir, rendererDir: join(root.path, 'renderer'), secretKeyFile: join(root.path, 'secret.key') });
}, 60_000);

afterAll(async () => {
  await host?.close();
  root.remove();
});

/** A tab: the contract client over one socket; `closed` resolves when the host drops it. */
async function openTab(): Promise<{ client: Client; closed: Promise<void> }> {
  const { transport, socket } = await openWebSocketClient(`ws://127.0.0.1:${host.port}/api?token=${encodeURIComponent(host.token)}`);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const client = connect(transport);
  return { client, closed };
}

/** Reconnects as a tab does (bounded): the host refuses upgrades while its core restarts. */
async function reopenTab(): Promise<Client> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return (await openTab()).client;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

let workspace: Workspace;
let tab: Client;

describe('backups.restore through the web host', () => {
  it('restarts the core on the backup: the reconnected tab sees the data as it was, and the safety backup', async () => {
    const first = await openTab();
    const api = first.client.api;
    workspace = await api.workspaces.create({ name: 'Acme' });
    const project = await api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB' });
    const kept = await api.tasks.create({ projectId: project.id, title: 'Keep me' });
    const job = await api.jobs.create({ workspaceId: workspace.id, name: 'Nightly backup', type: 'backup', schedule: '0 2 * * *', timezone: 'UTC', params: { folder: backupFolder, keep: 5 }, enabled: false });
    const run = await runHere(api, job.id);
    const done = await eventually(() => api.jobs.execution({ id: run.id }), (e) => e.status !== 'queued' && e.status !== 'running');
    expect(done.status).toBe('succeeded');
    const file = (done.result as { path: string }).path;

    // After the backup: a rename, a deletion, a new task.
    await api.tasks.update({ id: kept.id, title: 'Renamed after the backup' });
    const later = await api.tasks.create({ projectId: project.id, title: 'Made after the backup' });
    await api.tasks.delete({ id: later.id });
    const listed = await api.backups.list({ workspaceId: workspace.id });
    expect(listed.map((b) => [b.file, b.job?.name, b.safety])).toEqual([[file, 'Nightly backup', false]]);

    const started = await api.backups.restore({ workspaceId: workspace.id, file });
    expect(started).toEqual({ restarting: true, file, safetyFolder: join(dataDir, 'backups') });
    await first.closed; // the host drops every tab before it closes the core

    tab = await reopenTab();
    const outcome = await tab.api.backups.lastRestore();
    expect(outcome).toMatchObject({ file, ok: true, error: null, safetyBackup: expect.stringContaining(join(dataDir, 'backups')) });
    const tasks = await tab.api.tasks.list({ projectId: project.id, includeDeleted: true });
    expect(tasks.map((t) => [t.id, t.title, t.deletedAt])).toEqual([[kept.id, 'Keep me', null]]);
    const after = await tab.api.backups.list({ workspaceId: workspace.id });
    expect(after.find((b) => b.safety)?.file).toBe(outcome!.safetyBackup);
    expect(after.filter((b) => !b.safety).map((b) => b.file)).toEqual([file]);
  }, 120_000);

  it('refuses a damaged backup and the core keeps serving the same tab', async () => {
    const [original] = (await tab.api.backups.list({ workspaceId: workspace.id })).filter((b) => !b.safety);
    const name = basename(original!.file).replace(/-[0-9a-f]{6}\.tar\.gz$/, '-dddddd.tar.gz');
    const damaged = join(backupFolder, name);
    copyFileSync(original!.file, damaged);
    writeFileSync(manifestPath(damaged), JSON.stringify({ ...JSON.parse(readFileSync(manifestPath(original!.file), 'utf8')), file: name }));
    const bytes = readFileSync(damaged);
    bytes[bytes.length >> 1]! ^= 0xff;
    writeFileSync(damaged, bytes);

    await expect(tab.api.backups.restore({ workspaceId: workspace.id, file: damaged })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/^file: .* is damaged/),
    });
    expect((await tab.api.workspaces.list()).map((w) => w.name)).toEqual(['Acme']);
  }, 60_000);
});
