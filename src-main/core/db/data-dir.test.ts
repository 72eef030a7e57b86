/**
 * The data dir: persistence across close and reopen, the lock against a second process (and its
 * take-over after a kill -9), and the migration check.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../core';
import { tempDir } from '../testing/temp-core';
import { knownMigrations, pendingMigrations } from './migrate';

const dirs: { remove(): void }[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  children.splice(0).forEach((c) => c.kill('SIGKILL'));
  dirs.splice(0).forEach((d) => d.remove());
});
const newDir = () => {
  const dir = tempDir();
  dirs.push(dir);
  return dir.path;
};

/** Starts open-in-child.ts and resolves with its one JSON line. */
function openInChild(dataDir: string, mode = ''): Promise<{ child: ChildProcess; result: { opened: boolean; code?: string; message?: string } }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../testing/open-in-child.ts'), dataDir, mode], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, result: JSON.parse(line) });
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before answering: ${out}`)));
  });
}

describe('data dir', () => {
  it('keeps everything across close and reopen', async () => {
    const dataDir = newDir();
    const first = await createCore({ dataDir });
    const workspace = await first.api.workspaces.create({ name: 'Acme' });
    const project = await first.api.projects.create({
      workspaceId: workspace.id,
      name: 'Website',
      deliverables: [{ text: 'Launch' }],
      tags: ['client'],
      startDate: '2026-01-05',
    });
    const task = await first.api.tasks.create({ projectId: project.id, title: 'Draft', description: 'Hello' });
    await first.api.tasks.update({ id: task.id, description: 'Hello world', labels: ['copy'], estimateHours: 3 });
    await first.api.projects.setFavorite({ id: project.id, favorite: true });
    await first.api.profile.update({ displayName: 'Ada' });
    const before = { projects: await first.api.projects.list({ workspaceId: workspace.id }), tasks: await first.api.tasks.list({ projectId: project.id }) };
    await first.close();

    const second = await createCore({ dataDir });
    expect(await second.api.projects.list({ workspaceId: workspace.id })).toEqual(before.projects);
    expect(await second.api.tasks.list({ projectId: project.id })).toEqual(before.tasks);
    expect((await second.api.profile.get()).displayName).toBe('Ada');
    expect((await second.api.workspaces.current())?.id).toBe(workspace.id);
    // The doc reloads from the log: a further edit applies on top of the saved state.
    await second.api.tasks.update({ id: task.id, title: 'Draft 2' });
    const reread = await second.api.tasks.get({ id: task.id });
    expect(reread).toMatchObject({ title: 'Draft 2', description: 'Hello world', labels: ['copy'] });
    await second.close();
  });

  it('refuses a second process on the same data dir, naming the dir', async () => {
    const dataDir = newDir();
    const core = await createCore({ dataDir });
    const { result } = await openInChild(dataDir);
    expect(result.opened).toBe(false);
    expect(result.code).toBe('UNAVAILABLE');
    expect(result.message).toContain(dataDir);
    await core.close();
    // Released on close: now the other process may open it.
    const again = await openInChild(dataDir);
    expect(again.result.opened).toBe(true);
  });

  it('refuses a second open in the same process too', async () => {
    const dataDir = newDir();
    const core = await createCore({ dataDir });
    await expect(createCore({ dataDir })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await core.close();
  });

  it('takes over the lock of a process killed with -9 and keeps what it wrote', async () => {
    const dataDir = newDir();
    const { child, result } = await openInChild(dataDir, 'write');
    expect(result.opened).toBe(true);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const core = await createCore({ dataDir });
    const [workspace] = await core.api.workspaces.list();
    const [project] = await core.api.projects.list({ workspaceId: workspace!.id });
    expect(await core.api.tasks.list({ projectId: project!.id })).toHaveLength(20);
    await core.close();
  });

  it('takes over a lock file left by a process that is gone', async () => {
    const dataDir = newDir();
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(join(dataDir, 'groundwork.lock'), JSON.stringify({ pid: gone.pid, host: hostname() }));
    const core = await createCore({ dataDir });
    expect(await core.api.workspaces.list()).toEqual([]);
    await core.close();
  });
});

describe('migration check', () => {
  const known = knownMigrations();

  it('applies only what is missing', () => {
    expect(known.length).toBeGreaterThan(0);
    expect(pendingMigrations([], known, 'x')).toEqual(known);
    expect(pendingMigrations(known.map(({ version, name }) => ({ version, name })), known, 'x')).toEqual([]);
  });

  it('refuses a database with a migration this build does not know', () => {
    const applied = [...known.map(({ version, name }) => ({ version, name })), { version: 9999, name: '9999_from_the_future' }];
    expect(() => pendingMigrations(applied, known, '/data')).toThrow(/9999_from_the_future.*does not know/);
  });

  it('refuses a database whose migrations are out of order', () => {
    const renamed = [{ version: known[0]!.version, name: '0001_something_else' }];
    expect(() => pendingMigrations(renamed, known, '/data')).toThrow(/0001_something_else/);
  });

  it('refuses to open such a data dir and leaves it untouched', async () => {
    const dataDir = newDir();
    const core = await createCore({ dataDir });
    await core.api.workspaces.create({ name: 'Acme' });
    await core.close();
    const raw = await PGlite.create(join(dataDir, 'pgdata'));
    await raw.query("INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_from_the_future')");
    await raw.close();

    await expect(createCore({ dataDir })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('9999_from_the_future'),
    });
    // The refused open released its lock and changed nothing.
    const check = await PGlite.create(join(dataDir, 'pgdata'));
    const { rows } = await check.query<{ n: number }>('SELECT count(*)::int AS n FROM workspaces');
    expect(rows[0]!.n).toBe(1);
    await check.close();
  });
});
