/**
 * Team sync end to end in Node: a real relay on 127.0.0.1 and real cores (PGlite replicas) that
 * joined through invites. Replicas converge to identical projections whatever they did offline.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { startRelay } from '../../../sync-server/relay/relay-server';
import { kill9, runRelayCli, spawnRelay, type RelayProcess } from '../../../sync-server/testing/relay-process';
import { createCore } from '../core';
import { anySharesNumber } from '../tasks/task-numbers';
import { osUserName } from '../main/serve-main';
import { localOrigin } from './origins';
import { projectRoom } from './rooms';
import type { Core } from '../core';
import { converged, eventually, startTeam, type Team } from '../testing/team';

let team: Team | null = null;
afterEach(async () => {
  await team?.close();
  team = null;
});

const checksum = (dump: Record<string, unknown[]>) => createHash('sha256').update(JSON.stringify(dump)).digest('hex');

/** The workspace's first project once it and its stages (a separate doc) have arrived. */
async function firstProject(core: Core, workspaceId: string) {
  const [project] = await eventually(() => core.api.projects.list({ workspaceId }), (list) => list.length > 0);
  await eventually(() => core.api.stages.list({ projectId: project!.id }), (stages) => stages.length > 0);
  return project!;
}

describe('team sync', () => {
  it('three replicas: concurrent edits to the same and different tasks converge', async () => {
    team = await startTeam(3);
    const [a, b, c] = team.cores as [Core, Core, Core];
    const ws = team.workspace.id;
    expect((await b.api.workspaces.current())?.name).toBe('Acme');
    const project = await a.api.projects.create({ workspaceId: ws, name: 'Website', key: 'WEB' });
    const shared = await a.api.tasks.create({ projectId: project.id, title: 'Shared', description: 'Hello world' });
    await eventually(() => c.api.tasks.getMany({ ids: [shared.id] }), (t) => t.length === 1);
    await eventually(() => b.api.tasks.getMany({ ids: [shared.id] }), (t) => t.length === 1);

    const stages = await b.api.stages.list({ projectId: project.id });
    await Promise.all([
      a.api.tasks.update({ id: shared.id, description: 'Hello brave world' }),
      b.api.tasks.update({ id: shared.id, description: 'Hello world!' }),
      c.api.tasks.move({ id: shared.id, stageId: stages[2]!.id }),
      a.api.tasks.create({ projectId: project.id, title: 'From A' }),
      b.api.tasks.create({ projectId: project.id, title: 'From B' }),
      c.api.tasks.create({ projectId: project.id, title: 'From C', priority: 'urgent' }),
    ]);
    const dump = await converged(team.cores);
    expect(new Set(await Promise.all(team.cores.map(async (core) => checksum(await converged([core])))))).toEqual(new Set([checksum(dump)]));
    const merged = await a.api.tasks.get({ id: shared.id });
    // Per-character merge of both description edits, and the move from C.
    expect(merged.description).toBe('Hello brave world!');
    expect(merged.stageId).toBe(stages[2]!.id);
    expect((await c.api.tasks.list({ projectId: project.id })).map((t) => t.title).sort()).toEqual(['From A', 'From B', 'From C', 'Shared']);
    // Every teammate is a member, so tasks can be assigned across replicas.
    expect((await a.api.members.list({ workspaceId: ws })).map((m) => m.name).sort()).toEqual([osUserName() ?? 'Teammate', 'Member 1', 'Member 2'].sort());
  });

  it('a replica offline makes 1,000 edits while the others edit too; after reconnect nothing is lost', async () => {
    team = await startTeam(3);
    const [a, b, c] = team.cores as [Core, Core, Core];
    const ws = team.workspace.id;
    const project = await a.api.projects.create({ workspaceId: ws, name: 'Website', key: 'WEB' });
    const seed = await a.api.tasks.create({ projectId: project.id, title: 'Seed' });
    await eventually(() => c.api.tasks.getMany({ ids: [seed.id] }), (t) => t.length === 1);

    await c.internals.sync.setOnline(ws, false);
    const offline: string[] = [];
    for (let i = 0; i < 250; i++) {
      const task = await c.api.tasks.create({ projectId: project.id, title: `Offline ${i}` });
      offline.push(task.id);
      await c.api.tasks.update({ id: task.id, description: `written offline ${i}` });
      await c.api.tasks.update({ id: task.id, priority: 'high' });
      await c.api.tasks.update({ id: task.id, labels: ['offline'] });
    }
    expect((await c.api.sync.status({ workspaceId: ws })).pendingChanges).toBeGreaterThanOrEqual(1000);
    for (let i = 0; i < 50; i++) {
      await a.api.tasks.create({ projectId: project.id, title: `Online A ${i}` });
      await b.api.tasks.update({ id: seed.id, title: `Seed v${i}` });
    }

    await c.internals.sync.setOnline(ws, true);
    await converged(team.cores, 60_000);
    const tasks = await a.api.tasks.list({ projectId: project.id });
    expect(tasks).toHaveLength(1 + 250 + 50);
    const fromC = tasks.filter((t) => offline.includes(t.id));
    expect(fromC).toHaveLength(250);
    expect(fromC.every((t) => t.priority === 'high' && t.labels[0] === 'offline' && t.description.startsWith('written offline'))).toBe(true);
    expect(tasks.find((t) => t.id === seed.id)?.title).toBe('Seed v49');
    // The relay confirmed everything: nothing is left pending.
    await eventually(() => c.api.sync.status({ workspaceId: ws }), (s) => s.pendingChanges === 0 && s.state === 'connected');
  });

  it('tasks created offline on two replicas get distinct numbers after the merge, the same on both', async () => {
    team = await startTeam(2);
    const [a, b] = team.cores as [Core, Core];
    const ws = team.workspace.id;
    const project = await a.api.projects.create({ workspaceId: ws, name: 'Website', key: 'WEB' });
    await a.api.tasks.create({ projectId: project.id, title: 'Before' });
    await firstProject(b, ws);
    await eventually(() => b.api.tasks.list({ projectId: project.id }), (tasks) => tasks.length === 1);
    await Promise.all([a.internals.sync.setOnline(ws, false), b.internals.sync.setOnline(ws, false)]);
    const created: string[] = [];
    for (const [core, who] of [[a, 'A'], [b, 'B'], [a, 'A'], [b, 'B']] as const) {
      const task = await core.api.tasks.create({ projectId: project.id, title: `${who} offline` });
      created.push(task.id);
    }
    expect((await a.api.tasks.list({ projectId: project.id })).map((t) => t.key)).toEqual(expect.arrayContaining(['WEB-2', 'WEB-3']));
    await Promise.all([a.internals.sync.setOnline(ws, true), b.internals.sync.setOnline(ws, true)]);

    const numbersOn = async (core: Core) => Object.fromEntries((await core.api.tasks.list({ projectId: project.id })).map((t) => [t.id, t.number]));
    const unique = (numbers: Record<string, number>) => Object.keys(numbers).length === 5 && new Set(Object.values(numbers)).size === 5;
    await eventually(() => numbersOn(a), unique);
    await eventually(() => numbersOn(b), unique);
    await converged([a, b]);
    // The task created first keeps a shared number; the later ones follow the highest, in creation order.
    const numbers = await numbersOn(a);
    expect(created.map((id) => numbers[id])).toEqual([2, 4, 3, 5]);
    expect(await anySharesNumber(b.internals.db, created)).toBe(false);
  });

  it('a remote change the replica failed to save is fetched again by itself', async () => {
    team = await startTeam(2);
    const [a, b] = team.cores as [Core, Core];
    const ws = team.workspace.id;
    const project = await a.api.projects.create({ workspaceId: ws, name: 'Website', key: 'WEB' });
    await firstProject(b, ws);
    // B's disk refuses the next remote change once (a real failure inside its PGlite transaction).
    await b.internals.db.exec(`
      CREATE SEQUENCE remote_saves; -- nextval is not undone by the rollback
      CREATE FUNCTION refuse_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.from_remote AND nextval('remote_saves') = 1 THEN RAISE EXCEPTION 'disk full (test)'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_once BEFORE INSERT ON doc_updates FOR EACH ROW EXECUTE FUNCTION refuse_once();`);
    const task = await a.api.tasks.create({ projectId: project.id, title: 'Survives a failed save' });
    // The relay sends a change once per connection: B gets it again only by reconnecting.
    await eventually(() => b.api.tasks.getMany({ ids: [task.id] }), (found) => found.length === 1);
    const errors = (await b.api.sync.status({ workspaceId: ws })).errors.map((e) => e.message);
    expect(errors.some((m) => m.includes('could not be saved on this computer'))).toBe(true);
    await converged([a, b]);
  });

  it('random operations on three replicas with random partitions always converge', async () => {
    team = await startTeam(3);
    const ws = team.workspace.id;
    const cores = team.cores;
    const project = await cores[0]!.api.projects.create({ workspaceId: ws, name: 'Website', key: 'WEB' });
    for (const core of cores) await firstProject(core, ws);
    const stages = await cores[0]!.api.stages.list({ projectId: project.id });

    const step = fc.record({
      replica: fc.nat({ max: 2 }),
      action: fc.constantFrom('create', 'move', 'edit', 'delete', 'partition', 'heal'),
      pick: fc.nat(),
      stage: fc.nat({ max: stages.length - 1 }),
      text: fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim().length > 0),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 40 }), async (steps) => {
        const offline = new Set<number>();
        for (const s of steps) {
          const core = cores[s.replica]!;
          const tasks = await core.api.tasks.list({ projectId: project.id });
          const task = tasks.length > 0 ? tasks[s.pick % tasks.length]! : null;
          if (s.action === 'create') await core.api.tasks.create({ projectId: project.id, title: s.text, stageId: stages[s.stage]!.id });
          if (s.action === 'move' && task) await core.api.tasks.move({ id: task.id, stageId: stages[s.stage]!.id, afterId: tasks.filter((t) => t.stageId === stages[s.stage]!.id && t.id !== task.id).at(-1)?.id ?? null });
          if (s.action === 'edit' && task) await core.api.tasks.update({ id: task.id, title: s.text, description: `${task.description}${s.text}` });
          if (s.action === 'delete' && task) await core.api.tasks.delete({ id: task.id });
          if (s.action === 'partition' && !offline.has(s.replica)) {
            offline.add(s.replica);
            await core.internals.sync.setOnline(ws, false);
          }
          if (s.action === 'heal' && offline.has(s.replica)) {
            offline.delete(s.replica);
            await core.internals.sync.setOnline(ws, true);
          }
        }
        for (const r of offline) await cores[r]!.internals.sync.setOnline(ws, true);
        // Tasks created concurrently (in partitions, or just at once) share a number until their
        // creator renumbers them: converged, then also unique.
        const uniqueNumbers = (tasks: { number: number }[]) => new Set(tasks.map((t) => t.number)).size === tasks.length;
        const dump = await eventually(() => converged(cores, 30_000), (d) => uniqueNumbers(d.tasks as { number: number }[]), 30_000);
        // Every task is in exactly one live stage of its project, and has a number of its own.
        const stageIds = new Set((dump.stages as { id: string; deleted_at: unknown }[]).filter((s) => !s.deleted_at).map((s) => s.id));
        for (const task of dump.tasks as { stage_id: string }[]) expect(stageIds.has(task.stage_id)).toBe(true);
      }),
      { numRuns: 6 },
    );
  });

  it('presence: each replica sees who else views which project and task, and who left', async () => {
    team = await startTeam(2);
    const [a, b] = team.cores as [Core, Core];
    const ws = team.workspace.id;
    const project = await a.api.projects.create({ workspaceId: ws, name: 'Website', key: 'WEB' });
    const task = await a.api.tasks.create({ projectId: project.id, title: 'Design' });
    await a.api.sync.setPresence({ workspaceId: ws, projectId: project.id, taskId: task.id });
    await b.api.sync.setPresence({ workspaceId: ws, projectId: project.id, taskId: null });
    const seenByB = await eventually(() => b.api.sync.presence({ workspaceId: ws }), (p) => p.peers.length === 1);
    // A never named itself: it shows as its OS account name, never as "Me".
    expect(seenByB.peers[0]).toMatchObject({ name: osUserName() ?? 'Teammate', projectId: project.id, taskId: task.id });
    const seenByA = await eventually(() => a.api.sync.presence({ workspaceId: ws }), (p) => p.peers.length === 1);
    expect(seenByA.peers[0]).toMatchObject({ name: 'Member 1', projectId: project.id, taskId: null });
    // Going offline removes A from B's view (the relay drops a closed connection's awareness).
    await a.internals.sync.setOnline(ws, false);
    await eventually(() => b.api.sync.presence({ workspaceId: ws }), (p) => p.peers.length === 0);
  });

  it('a viewer reads everything but cannot write, and its edits never reach others', async () => {
    team = await startTeam(2);
    const [owner] = team.cores as [Core, Core];
    const ws = team.workspace.id;
    const project = await owner.api.projects.create({ workspaceId: ws, name: 'Website', key: 'WEB' });
    const task = await owner.api.tasks.create({ projectId: project.id, title: 'Visible' });
    const viewer = await createCore({ dataDir: null });
    try {
      const invite = await owner.api.sync.createInvite({ workspaceId: ws, role: 'viewer', name: 'Guest' });
      await viewer.api.sync.join({ invite: invite.invite });
      expect((await viewer.api.sync.status({ workspaceId: ws })).role).toBe('viewer');
      await eventually(() => viewer.api.tasks.getMany({ ids: [task.id] }), (t) => t.length === 1);
      await expect(viewer.api.tasks.update({ id: task.id, title: 'Hacked' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(viewer.api.projects.create({ workspaceId: ws, name: 'Nope' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      // An edit forced past the core's check (a modified client) goes nowhere: the relay drops it.
      const room = projectRoom(ws, project.id);
      const forged = await viewer.internals.docs.read(room, (doc) => {
        const copy = new Y.Doc();
        Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
        const before = Y.encodeStateVector(copy);
        (copy.getMap('tasks').get(task.id) as Y.Map<unknown>).set('title', 'Forged by a viewer');
        return Y.encodeStateAsUpdate(copy, before);
      });
      await viewer.internals.docs.applyUpdate(room, forged, localOrigin());
      expect((await viewer.api.tasks.get({ id: task.id })).title).toBe('Forged by a viewer');
      await owner.api.tasks.update({ id: task.id, description: 'a later edit by the owner' });
      await eventually(() => viewer.api.tasks.get({ id: task.id }), (t) => t.description === 'a later edit by the owner');
      expect((await owner.api.tasks.get({ id: task.id })).title).toBe('Visible');
    } finally {
      await viewer.close();
    }
  });

  it('kill -9 of the relay mid-stream: restarted on its data dir, clients reconnect by themselves and converge', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'groundwork-relay-'));
    const env = { RELAY_SECRET: 'test-secret-of-at-least-32-characters-long' };
    let relay: RelayProcess | null = await spawnRelay(['--port', '0', '--data-dir', dir], env);
    const port = relay.port;
    const a = await createCore({ dataDir: null });
    const b = await createCore({ dataDir: null });
    try {
      const inviteIn = (stdout: string) => stdout.split('\n').find((line) => line.startsWith('groundwork://'))!;
      const created = await runRelayCli(['workspace', 'create', '--name', 'Acme', '--data-dir', dir], env);
      const workspace = { id: /^workspace (\S+)/m.exec(created.stdout)![1]! };
      const owner = { invite: inviteIn(created.stdout) };
      const local = await a.api.workspaces.create({ name: 'Acme' });
      const published = await a.api.sync.publish({ workspaceId: local.id, invite: owner.invite });
      // Publishing gave the local workspace the relay workspace's id: every replica names it alike.
      expect(published.workspaceId).toBe(workspace.id);
      expect((await a.api.workspaces.current())?.id).toBe(workspace.id);
      const member = await runRelayCli(['token', '--workspace', workspace.id, '--role', 'member', '--data-dir', dir], env);
      const joined = await b.api.sync.join({ invite: inviteIn(member.stdout) });
      expect(joined.id).toBe(workspace.id);
      const project = await a.api.projects.create({ workspaceId: workspace.id, name: 'Website', key: 'WEB' });
      await firstProject(b, workspace.id);

      const titles: string[] = [];
      for (let i = 0; i < 120; i++) {
        if (i === 60) {
          await kill9(relay!);
          relay = null;
        }
        if (i === 90) relay = await spawnRelay(['--port', String(port), '--data-dir', dir], env);
        const writer = i % 2 === 0 ? a : b;
        const task = await writer.api.tasks.create({ projectId: project.id, title: `Task ${i}` });
        titles.push(task.title);
      }
      await converged([a, b], 60_000);
      expect((await b.api.tasks.list({ projectId: project.id })).map((t) => t.title).sort()).toEqual([...titles].sort());
      await eventually(() => a.api.sync.status({ workspaceId: workspace.id }), (s) => s.state === 'connected' && s.pendingChanges === 0, 30_000);
    } finally {
      await a.close();
      await b.close();
      if (relay) await kill9(relay);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a refused invite and an unreachable relay in words', async () => {
    const relay = await startRelay({ port: 0, logger: 'silent' });
    const core = await createCore({ dataDir: null });
    try {
      const { owner } = await relay.createWorkspace({ name: 'Acme' });
      await relay.revokeToken(owner.jti);
      await expect(core.api.sync.join({ invite: owner.invite })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('revoked') });
      await expect(core.api.sync.join({ invite: 'https://example.com' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('invite') });
      await expect(core.api.sync.join({ invite: 'groundwork://join?relay=ws://127.0.0.1:9&token=x' })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('127.0.0.1:9') });
    } finally {
      await core.close();
      await relay.close();
    }
  });
});
