/**
 * The `backups` namespace on a real core with a data dir: listing (newest first, the job that made
 * each, partial and truncated backups left out), who may restore, a missing or damaged backup
 * refused while the core keeps running, and an accepted restore asking the host to restart with
 * the file (the restart itself is the web host's test: host/web-host-restore.test.ts).
 */
import { copyFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../contract';
import { createCore, type Core } from '../core';
import { nodeMain, type NodeMain } from '../main/main-client';
import { runHere } from '../jobs/testing/run-here';
import { eventually, startTeam, type Team } from '../testing/team';
import { tempDir } from '../testing/temp-core';
import { listBackups, manifestPath, writeBackup } from './backup-files';

const dataDir = tempDir('groundwork-backups-api-');
const folder = tempDir('groundwork-backups-folder-');
const restarts: { restoreFrom?: string }[] = [];
let main: NodeMain;
let core: Core;
let workspace: Workspace;
let jobId: string;
const made: string[] = [];

async function runBackupJob(): Promise<string> {
  const execution = await runHere(core.api, jobId);
  const done = await eventually(
    () => core.api.jobs.execution({ id: execution.id }),
    (e) => e.status !== 'queued' && e.status !== 'running',
    60_000, // a shared, loaded machine: the bound is for a hang, not a speed check
  );
  expect(done.status).toBe('succeeded');
  return (done.result as { path: string }).path;
}

beforeAll(async () => {
  main = nodeMain({ restartCore: (request) => void restarts.push(request) });
  core = await createCore({ dataDir: dataDir.path, main: main.client });
  workspace = await core.api.workspaces.create({ name: 'Acme' });
  const job = await core.api.jobs.create({
    workspaceId: workspace.id,
    name: 'Nightly backup',
    type: 'backup',
    schedule: '0 2 * * *',
    timezone: 'UTC',
    params: { folder: folder.path, keep: 10 },
    enabled: false,
  });
  jobId = job.id;
  made.push(await runBackupJob());
  await core.api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB' });
  made.push(await runBackupJob());
}, 180_000);

afterAll(async () => {
  await core?.close();
  main?.close();
  dataDir.remove();
  folder.remove();
});

describe('backups.list', () => {
  it("lists the backup job's backups newest first with the job that made them, and leaves out partial and truncated ones", async () => {
    // A killed writer's leftover, and a complete backup cut short afterwards (its size no longer matches).
    writeFileSync(join(folder.path, '.groundwork-backup-2030-01-01T00-00-00-000Z-abcdef.tar.gz.partial'), 'half');
    const dump = await core.internals.db.dumpDataDir('gzip');
    const truncated = await writeBackup(folder.path, dump, { createdAt: new Date('2030-01-01T00:00:00Z'), migration: null });
    truncateSync(truncated.path, 100);

    const listed = await core.api.backups.list({ workspaceId: workspace.id });
    expect(listed.map((b) => b.file)).toEqual([made[1], made[0]]);
    expect(listed[0]).toMatchObject({ folder: folder.path, verified: 'size', safety: false, job: { id: jobId, name: 'Nightly backup' } });
    expect(listed[0]!.bytes).toBe(readFileSync(made[1]!).length);
    expect(listed[0]!.createdAt > listed[1]!.createdAt).toBe(true);
    // One folder asked for by name gives the same, and a folder without backups none.
    expect((await core.api.backups.list({ workspaceId: workspace.id, folder: folder.path })).map((b) => b.file)).toEqual([made[1], made[0]]);
    expect(await core.api.backups.list({ workspaceId: workspace.id, folder: dataDir.path })).toEqual([]);
  });

  it('refuses a relative folder, naming the field', async () => {
    await expect(core.api.backups.list({ workspaceId: workspace.id, folder: 'backups' })).rejects.toMatchObject({ code: 'VALIDATION', message: 'folder: must be an absolute path' });
  });
});

describe('backups.restore refused', () => {
  it('for a file that is not a listed backup (NOT_FOUND naming file) and a relative path (VALIDATION)', async () => {
    const missing = join(folder.path, 'groundwork-backup-2020-01-01T00-00-00-000Z-000000.tar.gz');
    await expect(core.api.backups.restore({ workspaceId: workspace.id, file: missing })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { field: 'file' } });
    await expect(core.api.backups.restore({ workspaceId: workspace.id, file: 'x.tar.gz' })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'file' } });
    expect(restarts).toEqual([]);
  });

  it('for a damaged backup (same size, other bytes): VALIDATION naming file, no restart, the core still answers', async () => {
    const damaged = await writeBackup(folder.path, await core.internals.db.dumpDataDir('gzip'), { createdAt: new Date('2019-01-01T00:00:00Z'), migration: null });
    const bytes = readFileSync(damaged.path);
    bytes[bytes.length >> 1]! ^= 0xff;
    writeFileSync(damaged.path, bytes);
    expect((await listBackups(folder.path)).some((b) => b.path === damaged.path)).toBe(true); // its size still matches
    await expect(core.api.backups.restore({ workspaceId: workspace.id, file: damaged.path })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/^file: .* is damaged/),
      details: { field: 'file' },
    });
    expect(restarts).toEqual([]);
    expect((await core.api.workspaces.list()).map((w) => w.id)).toEqual([workspace.id]);
  });

  it('for a member of a synced workspace (FORBIDDEN), list and restore alike', async () => {
    let team: Team | undefined;
    try {
      team = await startTeam(2);
      const member = team.cores[1]!;
      const refused = await Promise.allSettled([
        member.api.backups.list({ workspaceId: team.workspace.id }),
        member.api.backups.restore({ workspaceId: team.workspace.id, file: made[0]! }),
      ]);
      for (const result of refused) expect(result).toMatchObject({ status: 'rejected', reason: { code: 'FORBIDDEN', details: { role: 'member', action: 'restore' } } });
      // The owner of the same workspace is let through (to the next check: its core has no data dir).
      await expect(team.cores[0]!.api.backups.restore({ workspaceId: team.workspace.id, file: made[0]! })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      await team?.close();
    }
  }, 120_000);
});

describe('backups.restore accepted', () => {
  it('asks the host to restart with the file, once, when two restores are asked at once', async () => {
    const results = await Promise.allSettled([
      core.api.backups.restore({ workspaceId: workspace.id, file: made[0]! }),
      core.api.backups.restore({ workspaceId: workspace.id, file: made[1]! }),
    ]);
    const accepted = results.filter((r) => r.status === 'fulfilled');
    expect(accepted).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'CONFLICT', details: { field: 'file' } } });
    const started = (accepted[0] as PromiseFulfilledResult<Awaited<ReturnType<Core['api']['backups']['restore']>>>).value;
    expect(started).toEqual({ restarting: true, file: expect.stringMatching(/groundwork-backup-/), safetyFolder: join(dataDir.path, 'backups') });
    expect(restarts).toEqual([{ restoreFrom: started.file }]);
    expect(await core.api.backups.lastRestore()).toBeNull();
  });

  it('a core started with a damaged backup to restore opens its data as it was and says why', async () => {
    await core.close();
    const copy = join(folder.path, 'groundwork-backup-2018-01-01T00-00-00-000Z-aaaaaa.tar.gz');
    copyFileSync(made[0]!, copy);
    const manifest = JSON.parse(readFileSync(manifestPath(made[0]!), 'utf8')) as { file: string; sha256: string };
    writeFileSync(manifestPath(copy), JSON.stringify({ ...manifest, file: 'groundwork-backup-2018-01-01T00-00-00-000Z-aaaaaa.tar.gz', sha256: '0'.repeat(64) }));
    core = await createCore({ dataDir: dataDir.path, main: main.client, restoreFrom: copy });
    expect(await core.api.backups.lastRestore()).toMatchObject({ file: copy, ok: false, safetyBackup: null, error: expect.stringMatching(/is damaged/) });
    expect((await core.api.projects.list({ workspaceId: workspace.id })).map((p) => p.name)).toEqual(['Website']);
  }, 60_000);
});
