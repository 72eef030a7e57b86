/**
 * Save hooks (doc-store.ts): statements that run inside the save transaction — all or nothing with
 * the change — rows deferred in the change's log row until settled, and work after it is durable, given each changed entity's old and new field values
 * and the change's typed origin.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { coreWithProject } from '../testing/temp-core';
import type { Core } from '../core';
import type { SavedChange } from './doc-store';
import { projectRoom } from './rooms';

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

describe('save hooks', () => {
  it('see each changed field with its old and new value, long text included, and the origin with the member', async () => {
    const started = await coreWithProject();
    core = started.core;
    const { api, docs } = { api: core.api, docs: core.internals.docs };
    const task = await api.tasks.create({ projectId: started.project.id, title: 'Plan', description: 'Alpha beta gamma' });
    const saved: SavedChange[] = [];
    const remove = docs.addHook({ name: 'test-recorder', afterSave: (change) => saved.push(change) });
    await api.tasks.update({ id: task.id, title: 'Plan v2', description: 'Alpha gamma delta' });
    remove();
    await api.tasks.update({ id: task.id, title: 'not recorded' });
    expect(saved).toHaveLength(1);
    const [change] = saved;
    const member = (await api.members.list({ workspaceId: started.workspace.id }))[0]!;
    expect(change!.origin).toMatchObject({ kind: 'local', memberId: member.id });
    const entity = change!.entities.find((e) => e.id === task.id)!;
    expect(entity).toMatchObject({ entity: 'task', created: false, removed: false });
    const fields = Object.fromEntries(entity.fields.map((f) => [f.field, [f.oldValue, f.newValue]]));
    expect(fields.title).toEqual(['Plan', 'Plan v2']);
    expect(fields.description).toEqual(['Alpha beta gamma', 'Alpha gamma delta']);
    expect(change!.events).toEqual([expect.objectContaining({ entity: 'task', ids: [task.id] })]);
  });

  it('run their statements inside the save: a failing one saves nothing of the change', async () => {
    const started = await coreWithProject();
    core = started.core;
    const { api, docs, db } = { api: core.api, docs: core.internals.docs, db: core.internals.db };
    const task = await api.tasks.create({ projectId: started.project.id, title: 'Before' });
    await db.exec('CREATE TABLE audit (task_id uuid NOT NULL, title text NOT NULL CHECK (title <> \'forbidden\'))');
    docs.addHook({
      name: 'test-audit',
      statements: (change) =>
        change.entities
          .filter((e) => e.entity === 'task' && e.fields.some((f) => f.field === 'title'))
          .map((e) => ({ sql: 'INSERT INTO audit (task_id, title) VALUES ($1, $2)', params: [e.id, e.map?.get('title')] })),
    });
    const logRows = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM doc_updates')).rows[0]!.n;
    await api.tasks.update({ id: task.id, title: 'Allowed' });
    expect((await db.query('SELECT title FROM audit')).rows).toEqual([{ title: 'Allowed' }]);
    const before = await logRows();
    await expect(api.tasks.update({ id: task.id, title: 'forbidden' })).rejects.toMatchObject({ code: 'INTERNAL' });
    // Nothing of the failed change: no log row, no projection change, no audit row, no history row.
    expect(await logRows()).toBe(before);
    expect((await api.tasks.get({ id: task.id })).title).toBe('Allowed');
    expect((await db.query('SELECT title FROM audit')).rows).toEqual([{ title: 'Allowed' }]);
    expect((await api.tasks.history({ id: task.id })).map((e) => e.newValue)).toEqual(['Allowed', 'Before']);
    // The doc was reloaded from the log, so the next change starts from what is saved.
    await api.tasks.update({ id: task.id, title: 'After' });
    expect((await api.tasks.history({ id: task.id }))[0]).toMatchObject({ oldValue: 'Allowed', newValue: 'After' });
  });

  it('defer rows in the change\u2019s log row and settle them into their table in save order, before reads and compaction', async () => {
    const started = await coreWithProject();
    core = started.core;
    const { api, docs, db } = { api: core.api, docs: core.internals.docs, db: core.internals.db };
    const task = await api.tasks.create({ projectId: started.project.id, title: 'Draft' });
    await db.exec('CREATE TABLE title_log (n serial, task_id uuid NOT NULL, title text NOT NULL)');
    docs.addHook({
      name: 'test-title-log',
      deferred: {
        table: 'title_log',
        columns: ['task_id', 'title'],
        types: ['uuid', 'text'],
        rows: (change) =>
          change.entities.filter((e) => e.fields.some((f) => f.field === 'title')).map((e) => [e.id, e.map?.get('title')]),
      },
    });
    const logged = async () => (await db.query<{ title: string }>('SELECT title FROM title_log ORDER BY n')).rows.map((r) => r.title);
    const titles = Array.from({ length: 6 }, (_, i) => `Title ${i + 1}`);
    await Promise.all(titles.map((title) => api.tasks.update({ id: task.id, title })));
    // Nothing inserted on the write path: the rows wait in the log.
    expect(await logged()).toEqual([]);
    const { rows: waiting } = await db.query<{ notes: { title_log: unknown[][] } }>('SELECT notes FROM doc_updates WHERE notes ? \'title_log\' ORDER BY seq');
    expect(waiting.map((r) => r.notes.title_log)).toEqual(titles.map((title) => [[task.id, title]]));
    await docs.settle();
    expect(await logged()).toEqual(titles);
    await docs.settle(); // settling twice moves nothing twice
    expect(await logged()).toEqual(titles);
    // Compaction drops log rows: it settles first, so the newest row is not lost with them.
    await api.tasks.update({ id: task.id, title: 'Final' });
    await docs.compact(projectRoom(started.workspace.id, started.project.id));
    expect(await logged()).toEqual([...titles, 'Final']);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM doc_updates WHERE notes IS NOT NULL')).rows[0]!.n).toBe(0);
  });

  it('an afterSave hook that throws is logged; the change stays saved and the others still run', async () => {
    const started = await coreWithProject();
    core = started.core;
    const ran: string[] = [];
    core.internals.docs.addHook({
      name: 'test-broken',
      afterSave: () => {
        throw new Error('broken hook');
      },
    });
    core.internals.docs.addHook({ name: 'test-after', afterSave: () => ran.push('after') });
    const task = await core.api.tasks.create({ projectId: started.project.id, title: 'Kept' });
    expect((await core.api.tasks.get({ id: task.id })).title).toBe('Kept');
    expect(ran).toEqual(['after']);
  });
});
