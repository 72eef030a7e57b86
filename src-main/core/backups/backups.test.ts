/**
 * Backups: the backup job's file and manifest, keep-N pruning, a backup killed with SIGKILL in the
 * middle of writing is never listed, damaged files are refused, and the backup → restore drill
 * gives back exactly the projection that was backed up (checksums of every projection table).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../core';
import { backupJob, type BackupResult } from '../jobs/types/backup';
import { testRunContext } from '../jobs/testing/run-context';
import { coreWithProject, tempDir } from '../testing/temp-core';
import { listBackups, manifestPath, pruneBackups, verifyBackup, writeBackup } from './backup-files';
import { REPLICA_DIR, restoreBackup } from './restore';

const cleanups: (() => unknown)[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  children.splice(0).forEach((c) => c.kill('SIGKILL'));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const newDir = (prefix = 'groundwork-backup-test-') => {
  const dir = tempDir(prefix);
  cleanups.push(dir.remove);
  return dir.path;
};

/** md5 of every projection table's rows in id order: equal checksums, equal projections. */
async function projectionChecksums(core: Core): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const table of ['workspaces', 'members', 'projects', 'stages', 'tasks']) {
    const { rows } = await core.internals.db.query<{ sum: string | null; n: number }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) AS sum, count(*)::int AS n FROM ${table} t`,
    );
    sums[table] = `${rows[0]!.n}:${rows[0]!.sum}`;
  }
  return sums;
}

async function runBackup(core: Core, workspaceId: string, params: Record<string, unknown>, now = () => new Date()) {
  const run = testRunContext(core, { workspaceId, now });
  cleanups.push(() => run.close());
  return { result: (await run.run(backupJob, params)) as BackupResult, run };
}

describe('backup job', () => {
  it('writes a dump and its manifest, and keeps only the newest N', async () => {
    const { core, workspace } = await coreWithProject();
    cleanups.push(() => core.close());
    const folder = newDir();
    const made: BackupResult[] = [];
    for (let i = 0; i < 4; i++) {
      const at = new Date(Date.UTC(2026, 10, 20 + i, 2, 0));
      made.push((await runBackup(core, workspace.id, { folder, keep: 2 }, () => at)).result);
    }
    expect(made[0]!.pruned).toEqual([]);
    expect(made[2]!.pruned).toEqual([made[0]!.path]);
    expect(made[3]!.pruned).toEqual([made[1]!.path]);
    const listed = await listBackups(folder);
    expect(listed.map((b) => b.path)).toEqual([made[3]!.path, made[2]!.path]);
    expect(listed[0]).toEqual({ path: made[3]!.path, createdAt: '2026-11-23T02:00:00.000Z', bytes: made[3]!.bytes });
    expect(readdirSync(folder).sort()).toEqual([made[2]!.path, manifestPath(made[2]!.path), made[3]!.path, manifestPath(made[3]!.path)].map((p) => p.slice(folder.length + 1)).sort());
    expect((await verifyBackup(made[3]!.path)).sha256).toBe(made[3]!.sha256);
  });

  it('takes two backups at once into one folder as two complete backups', async () => {
    const { core, workspace } = await coreWithProject();
    cleanups.push(() => core.close());
    const folder = newDir();
    const [a, b] = await Promise.all([runBackup(core, workspace.id, { folder }), runBackup(core, workspace.id, { folder })]);
    expect(a.result.path).not.toBe(b.result.path);
    expect((await listBackups(folder)).map((x) => x.path).sort()).toEqual([a.result.path, b.result.path].sort());
  });

  it('refuses a missing folder naming folder', async () => {
    const { core, workspace } = await coreWithProject();
    cleanups.push(() => core.close());
    const run = testRunContext(core, { workspaceId: workspace.id });
    cleanups.push(() => run.close());
    await expect(run.run(backupJob, { folder: join(newDir(), 'nope') })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'folder' } });
    await expect(run.run(backupJob, { folder: newDir(), keep: 0 })).rejects.toThrow(/keep/);
  });

  it('never lists a backup whose writer was killed with SIGKILL halfway, and sweeps its leftover later', async () => {
    const folder = newDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../testing/backup-in-child.ts'), folder], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const first = await new Promise<{ written: number; total: number }>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      child.on('exit', (code) => reject(new Error(`child exited (${code}) before writing: ${out}`)));
    });
    expect(first.written).toBeLessThan(first.total); // stopped with the dump half on disk
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const left = readdirSync(folder);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.groundwork-backup-.*\.partial$/);
    expect(await listBackups(folder)).toEqual([]);
    // Young leftovers may belong to a backup still running: kept. Old ones are swept.
    await pruneBackups(folder, 10);
    expect(readdirSync(folder)).toHaveLength(1);
    await pruneBackups(folder, 10, new Date(Date.now() + 2 * 60 * 60 * 1000));
    expect(readdirSync(folder)).toEqual([]);
  });

  it('does not list a truncated backup or one without its manifest, and refuses to restore them', async () => {
    const { core } = await coreWithProject();
    cleanups.push(() => core.close());
    const folder = newDir();
    const dump = await core.internals.db.dumpDataDir('gzip');
    const truncated = await writeBackup(folder, dump, { createdAt: new Date(), migration: null });
    const orphan = await writeBackup(folder, dump, { createdAt: new Date(), migration: null });
    const intact = await writeBackup(folder, dump, { createdAt: new Date(), migration: null });
    truncateSync(truncated.path, Math.floor(truncated.bytes / 2));
    unlinkSync(manifestPath(orphan.path));
    expect((await listBackups(folder)).map((b) => b.path)).toEqual([intact.path]);
    await expect(verifyBackup(truncated.path)).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'file' }, message: expect.stringMatching(/damaged/) });
    await expect(verifyBackup(orphan.path)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/not a Groundwork backup/) });
    // Same size, other bytes: only the checksum notices.
    writeFileSync(intact.path, Buffer.alloc(intact.bytes, 1));
    expect(await listBackups(folder)).toHaveLength(1);
    await expect(verifyBackup(intact.path)).rejects.toThrow(/checksum/);
  });
});

describe('restore', () => {
  it('backup → restore drill: the projection comes back identical, after a safety backup of what it replaced', async () => {
    const dataDir = newDir('groundwork-restore-');
    const folder = newDir();
    let core = await createCore({ dataDir });
    const workspace = await core.api.workspaces.create({ name: 'Acme' });
    const project = await core.api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB', tags: ['client'] });
    for (let i = 0; i < 25; i++) await core.api.tasks.create({ projectId: project.id, title: `Task ${i}`, labels: ['x'], estimateHours: i });
    const before = await projectionChecksums(core);
    const { result: backup } = await runBackup(core, workspace.id, { folder });

    // Life goes on after the backup: edits, deletes, a new project.
    const tasks = await core.api.tasks.list({ projectId: project.id });
    await core.api.tasks.update({ id: tasks[0]!.id, title: 'Changed after the backup' });
    await core.api.tasks.delete({ id: tasks[1]!.id });
    await core.api.projects.create({ workspaceId: workspace.id, name: 'Later', key: 'LAT' });
    const after = await projectionChecksums(core);
    expect(after).not.toEqual(before);

    // A restore under a running core is refused: the core holds the data dir's lock.
    await expect(restoreBackup({ dataDir, file: backup.path })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await core.close();

    const restored = await restoreBackup({ dataDir, file: backup.path });
    expect(restored.safetyBackup).not.toBeNull();
    expect(readdirSync(dataDir).filter((n) => n.startsWith(`${REPLICA_DIR}.`) || n.startsWith('restore-journal'))).toEqual([]);

    core = await createCore({ dataDir });
    expect(await projectionChecksums(core)).toEqual(before);
    expect((await core.api.tasks.list({ projectId: project.id })).map((t) => t.title)).toContain('Task 0');
    await core.close();

    // The safety backup holds what the restore replaced: restoring it undoes the restore.
    expect((await listBackups(join(dataDir, 'backups'))).map((b) => b.path)).toContain(restored.safetyBackup!.path);
    await restoreBackup({ dataDir, file: restored.safetyBackup!.path });
    core = await createCore({ dataDir });
    expect(await projectionChecksums(core)).toEqual(after);
    await core.close();
  });

  it('refuses a damaged backup and leaves the replica as it was', async () => {
    const dataDir = newDir('groundwork-restore-');
    const folder = newDir();
    const core = await createCore({ dataDir });
    const workspace = await core.api.workspaces.create({ name: 'Acme' });
    const { result: backup } = await runBackup(core, workspace.id, { folder });
    const sums = await projectionChecksums(core);
    await core.close();
    truncateSync(backup.path, 1000);
    await expect(restoreBackup({ dataDir, file: backup.path })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'file' } });
    const again = await createCore({ dataDir });
    expect(await projectionChecksums(again)).toEqual(sums);
    await again.close();
  });

  it('finishes a restore that was killed between its two renames when the core next opens', async () => {
    const dataDir = newDir('groundwork-restore-');
    const folder = newDir();
    let core = await createCore({ dataDir });
    const workspace = await core.api.workspaces.create({ name: 'Backed up' });
    const { result: backup } = await runBackup(core, workspace.id, { folder });
    const sums = await projectionChecksums(core);
    await core.api.workspaces.create({ name: 'After the backup' });
    await core.close();
    await restoreBackup({ dataDir, file: backup.path });

    // Rebuild the state a crash leaves after the first rename: the journal, the old replica moved
    // aside, the restored one still under its staged name, and no pgdata.
    const staged = `${REPLICA_DIR}.restore-0000aaaa`;
    renameSync(join(dataDir, REPLICA_DIR), join(dataDir, staged));
    mkdirSync(join(dataDir, `${REPLICA_DIR}.replaced-0000aaaa`));
    writeFileSync(join(dataDir, 'restore-journal.json'), JSON.stringify({ staged, replaced: `${REPLICA_DIR}.replaced-0000aaaa` }));
    core = await createCore({ dataDir });
    expect(await projectionChecksums(core)).toEqual(sums);
    await core.close();
    expect(readdirSync(dataDir).filter((n) => n.startsWith(`${REPLICA_DIR}.`) || n.startsWith('restore-journal'))).toEqual([]);

    // Killed before the journal: a staged dir is an unfinished unpack, removed; the replica stays.
    mkdirSync(join(dataDir, `${REPLICA_DIR}.restore-0000bbbb`));
    utimesSync(join(dataDir, `${REPLICA_DIR}.restore-0000bbbb`), new Date(), new Date());
    core = await createCore({ dataDir });
    expect(await projectionChecksums(core)).toEqual(sums);
    await core.close();
    expect(existsSync(join(dataDir, `${REPLICA_DIR}.restore-0000bbbb`))).toBe(false);
  });
});
