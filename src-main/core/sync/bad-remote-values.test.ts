/**
 * A teammate's client can write any valid Yjs update: values the projection cannot store (a date
 * that is not a date, a NUL, an id that is not an id, numbers out of range) must never stop a
 * replica. The doc keeps them, the row shows them empty, the status names each field once, and
 * later good changes keep flowing both ways.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Core } from '../core';
import { converged, eventually, startTeam, type Team } from '../testing/team';

let team: Team | undefined;
let provider: WebsocketProvider | undefined;
afterEach(async () => {
  provider?.destroy();
  await team?.close();
  team = provider = undefined;
});

/** A plain y-websocket client (not Groundwork) with a member token, on one room. */
async function rawClient(relayUrl: string, token: string, room: string): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const doc = new Y.Doc();
  const p = new WebsocketProvider(relayUrl, room, doc, { params: { token }, WebSocketPolyfill: WebSocket as never, disableBc: true });
  await new Promise<void>((resolve) => {
    if (p.synced) return resolve();
    p.once('sync', (synced: boolean) => synced && resolve());
  });
  return { doc, provider: p };
}

describe('bad values from a teammate', () => {
  it('are shown empty and reported once, and sync goes on both ways', async () => {
    team = await startTeam(2);
    const [a, b] = team.cores as [Core, Core];
    const ws = team.workspace.id;
    const project = await a.api.projects.create({ workspaceId: ws, name: 'Web', key: 'WEB' });
    await eventually(() => b.api.stages.list({ projectId: project.id }).catch(() => []), (s) => s.length > 0);
    const task = await a.api.tasks.create({ projectId: project.id, title: 'Fine so far' });
    await eventually(() => b.api.tasks.getMany({ ids: [task.id] }), (t) => t.length === 1);

    const member = await team.relay.issueToken({ workspace: ws, role: 'member', name: 'mallory' });
    const projectDoc = await rawClient(team.relay.url, member.token, `${ws}/${project.id}`);
    provider = projectDoc.provider;
    const tasks = projectDoc.doc.getMap<Y.Map<unknown>>('tasks');
    const stages = projectDoc.doc.getMap<Y.Map<unknown>>('stages');
    projectDoc.doc.transact(() => {
      const t = tasks.get(task.id)!;
      t.set('dueDate', 'not-a-date'); // date
      t.set('title', 'nul \u0000 inside'); // text
      t.set('number', 1e12); // integer out of range
      t.set('estimateHours', 'three'); // double precision
      t.set('stageId', 'not-a-uuid'); // uuid
      t.set('createdAt', 'the dawn of time'); // timestamptz, not null
      t.set('deletedAt', 12345); // timestamptz, nullable
      t.set('labels', ['ok', 'bad \u0000', '\uD800lone']); // jsonb
      t.set('assigneeIds', 'not a list');
      const weird = new Y.Map<unknown>();
      tasks.set('not-a-uuid-key', weird); // an entity without an id
      weird.set('title', 'ghost');
      const firstStage = [...stages.values()][0]!;
      firstStage.set('deletedAt', 'yesterday');
      firstStage.set('name', '\uDC00');
    });
    const workspaceDoc = await rawClient(team.relay.url, member.token, `${ws}/workspace`);
    const projectMap = workspaceDoc.doc.getMap<Y.Map<unknown>>('projects').get(project.id)!;
    workspaceDoc.doc.transact(() => {
      projectMap.set('startDate', '0000-01-01');
      projectMap.set('endDate', '2025-02-30');
      projectMap.set('deliverables', [{ id: 'x', text: 'nul \u0000', done: 'maybe' }]);
      workspaceDoc.doc.getMap('meta').set('createdAt', 'soon');
    });
    workspaceDoc.provider.destroy();

    // Both replicas saved the change: the bad fields show empty, the good rest is there.
    for (const core of [a, b]) {
      const [seen] = await eventually(() => core.api.tasks.getMany({ ids: [task.id] }), (t) => t[0]?.deletedAt === null && t[0]?.dueDate === null && t[0]?.title === '');
      expect(seen).toMatchObject({ title: '', dueDate: null, estimateHours: null, number: 0, labels: ['ok', 'bad \uFFFD', '\uFFFDlone'], assigneeIds: [] });
      await eventually(() => core.api.projects.get({ id: project.id }), (p) => p.startDate === null && p.endDate === null);
    }
    // The status names the fields, once each, in words.
    const errors = await eventually(
      () => b.api.sync.status({ workspaceId: ws }).then((s) => s.errors.map((e) => e.message)),
      (messages) => messages.some((m) => m.includes('dueDate')) && messages.some((m) => m.includes('startDate')),
    );
    for (const field of ['dueDate', 'title', 'number', 'estimateHours', 'stageId', 'createdAt', 'deletedAt', 'labels', 'assigneeIds']) {
      expect(errors.filter((m) => m.includes(` ${field} of task ${task.id} `))).toHaveLength(1);
    }
    for (const field of ['startDate', 'endDate', 'deliverables']) expect(errors.filter((m) => m.includes(` ${field} of project ${project.id} `))).toHaveLength(1);
    expect(errors.filter((m) => m.includes(' id of task not-a-uuid-key '))).toHaveLength(1);
    expect(errors.find((m) => m.includes(' dueDate of '))).toMatch(/"not-a-date".*not a date.*shows it empty/);

    // Later good changes keep flowing both ways, and the bad values do not repeat in the status.
    const later = await a.api.tasks.create({ projectId: project.id, title: 'After the bad values' });
    await eventually(() => b.api.tasks.getMany({ ids: [later.id] }), (t) => t.length === 1);
    const fromB = await b.api.tasks.update({ id: task.id, title: 'Repaired by B', dueDate: '2026-12-01' });
    expect(fromB.title).toBe('Repaired by B');
    await eventually(() => a.api.tasks.getMany({ ids: [task.id] }), (t) => t[0]?.title === 'Repaired by B' && t[0]?.dueDate === '2026-12-01');
    await converged([a, b]);
    const after = (await b.api.sync.status({ workspaceId: ws })).errors.map((e) => e.message);
    expect(after.filter((m) => m.includes(' dueDate of '))).toHaveLength(1);
    expect((await b.api.sync.status({ workspaceId: ws })).state).toBe('connected');
  });
});

describe('a link whose saves keep failing', () => {
  it('backs off between reconnects even though each socket opens', async () => {
    team = await startTeam(1);
    const [a] = team.cores as [Core];
    const ws = team.workspace.id;
    const failures: number[] = [];
    const counting = { info() {}, warn() {}, debug() {}, error: (_obj: object | string, msg?: string) => void (msg?.includes('reconnecting') && failures.push(Date.now())) };
    const { createCore } = await import('../core');
    const b = await createCore({ dataDir: null, logger: counting });
    team.cores.push(b);
    const member = await team.relay.issueToken({ workspace: ws, role: 'member', name: 'b' });
    await b.api.sync.join({ invite: member.invite });
    const project = await a.api.projects.create({ workspaceId: ws, name: 'Web' });
    await eventually(() => b.api.projects.list({ workspaceId: ws }), (p) => p.length === 1);
    // From now on B's disk refuses every change from the relay (a real failure inside PGlite).
    await b.internals.db.exec(`
      CREATE FUNCTION refuse_remote() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.from_remote THEN RAISE EXCEPTION 'disk full (test)'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_remote BEFORE INSERT ON doc_updates FOR EACH ROW EXECUTE FUNCTION refuse_remote();`);
    failures.length = 0;
    const started = Date.now();
    await a.api.tasks.create({ projectId: project.id, title: 'Cannot be saved on B' });
    await eventually(async () => failures.length, (n) => n >= 1);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    // Back-off 0.5, 1, 2, 4 s (with jitter): at most a handful of attempts in 4 s. Without it (the
    // counter reset on every open) a reconnect came every 0.25–0.5 s: 8 or more.
    const within = failures.filter((t) => t - started <= 4_500).length;
    expect(within).toBeGreaterThanOrEqual(1);
    expect(within).toBeLessThanOrEqual(5);
  });
});
