/**
 * The change history: rows captured by a save hook inside the save transaction (deferred in the
 * change's log row, settled before reads and compaction), for local and remote changes alike, with the member who made them (or nobody, for the system's renumbering).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../contract';
import { createCore, type Core } from '../core';
import { projectRoom } from '../sync/rooms';
import { converged, eventually, startTeam, type Team } from '../testing/team';
import { tempDir } from '../testing/temp-core';

let core: Core | undefined;
let team: Team | undefined;
afterEach(async () => {
  await core?.close();
  await team?.close();
  core = team = undefined;
});

const brief = (e: HistoryEntry) => [e.action, e.field, e.oldValue, e.newValue, e.actor?.name ?? null, e.origin];

describe('change history', () => {
  it('records who changed which field of a task from what to what, newest first', async () => {
    core = await createCore({ dataDir: null });
    const api = core.api;
    await api.profile.update({ displayName: 'Ana' });
    const ws = await api.workspaces.create({ name: 'Acme' });
    const project = await api.projects.create({ workspaceId: ws.id, name: 'Web', key: 'WEB' });
    const [backlog, todo] = await api.stages.list({ projectId: project.id });
    const task = await api.tasks.create({ projectId: project.id, title: 'Design', description: 'First draft.' });
    await api.tasks.update({ id: task.id, title: 'Design system', priority: 'high', labels: ['ux'] });
    await api.tasks.update({ id: task.id, description: 'First draft. Then a review.' });
    await api.tasks.move({ id: task.id, stageId: todo!.id });
    await api.tasks.update({ id: task.id, dueDate: '2026-12-24', estimateHours: 3 });
    await api.tasks.delete({ id: task.id });

    const history = await api.tasks.history({ id: task.id });
    expect(history.map(brief)).toEqual([
      ['changed', 'deletedAt', null, expect.any(String), 'Ana', 'local'],
      ['changed', 'estimateHours', null, 3, 'Ana', 'local'],
      ['changed', 'dueDate', null, '2026-12-24', 'Ana', 'local'],
      ['changed', 'stageId', backlog!.id, todo!.id, 'Ana', 'local'],
      ['changed', 'description', 'First draft.', 'First draft. Then a review.', 'Ana', 'local'],
      ['changed', 'labels', [], ['ux'], 'Ana', 'local'],
      ['changed', 'priority', 'normal', 'high', 'Ana', 'local'],
      ['changed', 'title', 'Design', 'Design system', 'Ana', 'local'],
      ['created', null, null, 'Design', 'Ana', 'local'],
    ]);
    expect(history[0]).toMatchObject({ entity: 'task', entityId: task.id, entityLabel: 'WEB-1' });
    // Paging back from an entry, and a limit.
    const older = await api.tasks.history({ id: task.id, before: history[6]!.id, limit: 5 });
    expect(older.map((e) => e.field)).toEqual(['title', null]);

    // The project's history holds its own changes and everything in it.
    await api.projects.update({ id: project.id, name: 'Website' });
    const all = await api.projects.history({ id: project.id, limit: 3 });
    expect(all.map((e) => [e.entity, e.field, e.newValue])).toEqual([
      ['project', 'name', 'Website'],
      ['task', 'deletedAt', expect.any(String)],
      ['task', 'estimateHours', 3],
    ]);
  });

  it('survives compaction of the update log and a restart, also of rows not yet settled', async () => {
    const dir = tempDir();
    core = await createCore({ dataDir: dir.path });
    let api = core.api;
    const ws = await api.workspaces.create({ name: 'Acme' });
    const project = await api.projects.create({ workspaceId: ws.id, name: 'Web' });
    const task = await api.tasks.create({ projectId: project.id, title: 'One' });
    for (let i = 2; i <= 5; i++) await api.tasks.update({ id: task.id, title: `Title ${i}` });
    await core.internals.docs.compact(projectRoom(ws.id, project.id));
    const { rows } = await core.internals.db.query<{ n: number }>('SELECT count(*)::int AS n FROM doc_updates WHERE room = $1', [`${ws.id}/${project.id}`]);
    expect(rows[0]!.n).toBe(0);
    // Two more, left deferred in the log (nobody reads the history before the restart).
    for (let i = 6; i <= 7; i++) await api.tasks.update({ id: task.id, title: `Title ${i}` });
    const { rows: waiting } = await core.internals.db.query<{ n: number }>('SELECT count(*)::int AS n FROM doc_updates WHERE notes IS NOT NULL');
    expect(waiting[0]!.n).toBe(2);
    await core.close();
    core = await createCore({ dataDir: dir.path });
    api = core.api;
    try {
      const titles = ['Title 7', 'Title 6', 'Title 5', 'Title 4', 'Title 3', 'Title 2', 'One'];
      expect((await api.tasks.history({ id: task.id })).map((e) => e.newValue)).toEqual(titles);
    } finally {
      await core.close();
      core = undefined;
      dir.remove();
    }
  });

  it('concurrent edits each leave their own rows, none lost', async () => {
    core = await createCore({ dataDir: null });
    const api = core.api;
    const ws = await api.workspaces.create({ name: 'Acme' });
    const project = await api.projects.create({ workspaceId: ws.id, name: 'Web' });
    const task = await api.tasks.create({ projectId: project.id, title: 'T' });
    await Promise.all(Array.from({ length: 10 }, (_, i) => api.tasks.update({ id: task.id, title: `Edit ${i}` })));
    const history = await api.tasks.history({ id: task.id });
    expect(history.filter((e) => e.field === 'title')).toHaveLength(10);
    // Each row's old value is the previous row's new value: one chain, in save order.
    const titles = history.filter((e) => e.field === 'title').reverse();
    titles.forEach((e, i) => expect(e.oldValue).toBe(i === 0 ? 'T' : titles[i - 1]!.newValue));
  });

  it('every replica records a teammate\u2019s change under the teammate\u2019s name; renumbering is the system\u2019s', async () => {
    team = await startTeam(2);
    const [a, b] = team.cores as [Core, Core];
    const ws = team.workspace.id;
    await a.api.profile.update({ displayName: 'Ana' });
    const project = await a.api.projects.create({ workspaceId: ws, name: 'Web', key: 'WEB' });
    await eventually(() => b.api.projects.list({ workspaceId: ws }), (ps) => ps.length === 1);
    const task = await a.api.tasks.create({ projectId: project.id, title: 'Shared' });
    await eventually(() => b.api.tasks.getMany({ ids: [task.id] }), (ts) => ts.length === 1);
    await a.api.tasks.update({ id: task.id, title: 'Shared, edited by Ana' });
    const seenByB = await eventually(
      () => b.api.tasks.history({ id: task.id }),
      (h) => h.some((e) => e.field === 'title'),
    );
    expect(seenByB.find((e) => e.field === 'title')).toMatchObject({
      oldValue: 'Shared',
      newValue: 'Shared, edited by Ana',
      actor: { name: 'Ana' },
      origin: 'remote',
    });
    expect(seenByB.find((e) => e.action === 'created')).toMatchObject({ newValue: 'Shared', actor: { name: 'Ana' }, origin: 'remote' });
    // B edits it back: A records B's member (joined as "Member 1").
    await b.api.tasks.update({ id: task.id, priority: 'urgent' });
    const seenByA = await eventually(
      () => a.api.tasks.history({ id: task.id }),
      (h) => h.some((e) => e.field === 'priority'),
    );
    expect(seenByA[0]).toMatchObject({ field: 'priority', newValue: 'urgent', actor: { name: 'Member 1' }, origin: 'remote' });

    // Offline, both make a task: one of them is renumbered by its creator, as the system.
    await a.internals.sync.setOnline(ws, false);
    await b.internals.sync.setOnline(ws, false);
    const fromA = await a.api.tasks.create({ projectId: project.id, title: 'From A' });
    const fromB = await b.api.tasks.create({ projectId: project.id, title: 'From B' });
    expect(fromA.number).toBe(fromB.number);
    await a.internals.sync.setOnline(ws, true);
    await b.internals.sync.setOnline(ws, true);
    await converged([a, b]);
    const numbers = await eventually(
      () => a.api.tasks.getMany({ ids: [fromA.id, fromB.id] }),
      (ts) => ts.length === 2 && ts[0]!.number !== ts[1]!.number,
    );
    const renumbered = numbers.find((t) => t.number !== fromA.number)!;
    for (const replica of [a, b]) {
      const history = await eventually(
        () => replica.api.tasks.history({ id: renumbered.id }),
        (h) => h.some((e) => e.field === 'number'),
      );
      expect(history.find((e) => e.field === 'number')).toMatchObject({ oldValue: fromA.number, newValue: renumbered.number, actor: null, origin: 'system' });
    }

    // Two people edit one task at once (offline): each replica credits each field to who changed it.
    await a.internals.sync.setOnline(ws, false);
    await b.internals.sync.setOnline(ws, false);
    await a.api.tasks.update({ id: task.id, title: 'Title by Ana' });
    await b.api.tasks.update({ id: task.id, dueDate: '2027-01-15' });
    await a.internals.sync.setOnline(ws, true);
    await b.internals.sync.setOnline(ws, true);
    await converged([a, b]);
    for (const replica of [a, b]) {
      const history = await eventually(
        () => replica.api.tasks.history({ id: task.id }),
        (h) => h.some((e) => e.newValue === 'Title by Ana') && h.some((e) => e.newValue === '2027-01-15'),
      );
      expect(history.find((e) => e.newValue === 'Title by Ana')?.actor?.name).toBe('Ana');
      expect(history.find((e) => e.newValue === '2027-01-15')?.actor?.name).toBe('Member 1');
    }
  });
});

describe('change history and the workspace’s life', () => {
  it('follows a published workspace to its relay id and leaves with its deleted replica (every table with a workspace_id)', async () => {
    const { startRelay } = await import('../../../sync-server/relay/relay-server');
    const relay = await startRelay({ port: 0, logger: 'silent' });
    core = await createCore({ dataDir: null });
    try {
      const api = core.api;
      const local = await api.workspaces.create({ name: 'Acme' });
      const project = await api.projects.create({ workspaceId: local.id, name: 'Web' });
      // Rows of the workspace in local tables too: a webhook endpoint with a queued delivery, a followed build.
      await api.webhooks.create({ workspaceId: local.id, url: 'http://127.0.0.1:9/hooks', events: ['task.created'] });
      const task = await api.tasks.create({ projectId: project.id, title: 'Kept' });
      await core.internals.db.query('INSERT INTO vercel_followed_builds (deployment_id, workspace_id, project_id, followed_at) VALUES ($1, $2, $3, now())', ['dpl_Kept', local.id, project.id]);
      /** Every table with a `workspace_id` column that still has rows of `id` (a new table must be in rekey and delete). */
      const holding = async (id: string) => {
        const { rows: tables } = await core!.internals.db.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.columns WHERE column_name = 'workspace_id' AND table_schema = 'public' ORDER BY table_name",
        );
        const found: string[] = [];
        for (const { table_name } of tables) {
          const { rows: counted } = await core!.internals.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table_name} WHERE workspace_id = $1`, [id]);
          if (counted[0]!.n > 0) found.push(table_name);
        }
        return found;
      };
      expect(await holding(local.id)).toEqual(expect.arrayContaining(['projects', 'vercel_followed_builds', 'webhook_deliveries', 'webhook_endpoints', 'webhook_events', 'webhook_secrets']));
      const { owner, workspace: { id: workspace } } = await relay.createWorkspace({ name: 'Acme' });
      await api.sync.publish({ workspaceId: local.id, invite: owner.invite });
      expect(await holding(local.id)).toEqual([]);
      expect(await holding(workspace)).toEqual(expect.arrayContaining(['projects', 'vercel_followed_builds', 'webhook_deliveries', 'webhook_endpoints']));
      const rows = async (id: string) => {
        await core!.internals.docs.settle();
        return (
          await core!.internals.db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM change_history h JOIN projects p ON p.id = h.project_id WHERE p.workspace_id = $1',
            [id],
          )
        ).rows[0]!.n;
      };
      expect(await rows(local.id)).toBe(0);
      expect(await rows(workspace)).toBeGreaterThan(0);
      expect((await api.tasks.history({ id: task.id })).map((e) => e.action)).toEqual(['created']);
      await api.sync.leave({ workspaceId: workspace, deleteLocalCopy: true });
      expect(await holding(workspace)).toEqual([]);
      const { rows: left } = await core.internals.db.query<{ n: number }>('SELECT count(*)::int AS n FROM change_history');
      expect(left[0]!.n).toBe(0);
    } finally {
      await core.close();
      core = undefined;
      await relay.close();
    }
  });
});
