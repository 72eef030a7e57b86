/**
 * Offline merge: two replicas of one workspace go offline, each makes 10,000 edits through its
 * API (creates, field updates and moves of its own new tasks, plus edits and moves of tasks both
 * share), then, after 1.5 s idle, both come back online at once. Measured: the time from
 * reconnecting until both PGlite projections are identical and every task number is unique again
 * (at the last projection write, checked by a checksum over every `tasks` row), and how long the
 * edits took. Real cores (in-memory PGlite) and a real relay (in-memory storage) on 127.0.0.1 in
 * this process, joined through invites as `startTeam` in the core's tests does.
 *
 * Baselines in the same run, on the merged result:
 *   - rebuild: one replica rebuilding its whole projection from its update log (fresh docs, every
 *     row rewritten) — the work of materialising that state in PGlite once, with no network;
 *   - Yjs apply: the merged project doc's state applied to a fresh Y.Doc (the CRDT part alone).
 *
 *   npx tsx bench/offline-merge.ts [--edits 10000] [--shared 200]
 */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import type { Priority } from '../src-main/contract';
import type { Core } from '../src-main/core/core';
import { projectRoom, type Room, workspaceRoom } from '../src-main/core/sync/rooms';
import { converged, eventually, startTeam } from '../src-main/core/testing/team';
import { numberArg, report, rng, round } from './support/lib';

const EDITS = numberArg('edits', 10_000);
const SHARED = numberArg('shared', 200);
const POLL_MS = 25;
const SETTLE_MS = 1_500;
const TIMEOUT_MS = 120_000;

/** The replica's state vectors of these docs, as one comparable string. */
const stateVectors = async (core: Core, rooms: Room[]) =>
  (await Promise.all(rooms.map((room) => core.internals.docs.read(room, (doc) => Buffer.from(Y.encodeStateVector(doc)).toString('base64'))))).join(' ');

/** Every column of every task row, in id order: equal sums mean identical task projections. */
const checksum = async (core: Core) => {
  const { rows } = await core.internals.db.query<{ n: number; numbers: number; sum: string | null }>(
    "SELECT count(*)::int AS n, count(DISTINCT (project_id, number))::int AS numbers, md5(string_agg(t::text, '|' ORDER BY t.id)) AS sum FROM tasks t",
  );
  return rows[0]!;
};

const priorities: Priority[] = ['low', 'normal', 'high', 'urgent'];

/**
 * `edits` API calls on one replica, one at a time: a fifth are creates; each new task then gets
 * a description, a priority and labels; the remaining fifth edit or move the shared tasks.
 */
async function offlineEdits(core: Core, who: string, projectId: string, stageIds: string[], shared: string[], edits: number, seed: number) {
  const random = rng(seed);
  const own: string[] = [];
  const creates = Math.floor(edits / 5);
  let done = 0;
  for (let i = 0; i < creates; i++) {
    own.push((await core.api.tasks.create({ projectId, title: `${who} offline ${i}`, stageId: stageIds[i % stageIds.length]! })).id);
    done++;
  }
  for (let i = 0; done < edits - creates; i++) {
    const id = own[i % own.length]!;
    const round = Math.floor(i / own.length);
    if (round % 3 === 0) await core.api.tasks.update({ id, description: `Written offline on ${who}, pass ${round}.` });
    else if (round % 3 === 1) await core.api.tasks.update({ id, priority: priorities[Math.floor(random() * priorities.length)]! });
    else await core.api.tasks.update({ id, labels: [who.toLowerCase(), `pass-${round}`] });
    done++;
  }
  for (let i = 0; done < edits; i++) {
    const id = shared[Math.floor(random() * shared.length)]!;
    if (i % 2 === 0) await core.api.tasks.update({ id, title: `Shared task edited on ${who} (${i})` });
    else await core.api.tasks.move({ id, stageId: stageIds[Math.floor(random() * stageIds.length)]! });
    done++;
  }
  return done;
}

let t = performance.now();
const team = await startTeam(2);
try {
  const [a, b] = team.cores as [Core, Core];
  const workspaceId = team.workspace.id;
  console.log(`offline-merge: relay ${team.relay.url} (in-memory storage), 2 in-memory replicas joined through invites, in ${Math.round(performance.now() - t)} ms`);

  const project = await a.api.projects.create({ workspaceId, name: 'Website', key: 'WEB' });
  const shared: string[] = [];
  for (let i = 0; i < SHARED; i++) shared.push((await a.api.tasks.create({ projectId: project.id, title: `Shared ${i}` })).id);
  await eventually(() => b.api.projects.list({ workspaceId }), (list) => list.some((p) => p.id === project.id), 30_000);
  await eventually(() => b.api.stages.list({ projectId: project.id }), (s) => s.length > 0, 30_000);
  await eventually(() => b.api.tasks.getMany({ ids: shared.slice(0, 1000) }), (found) => found.length === Math.min(SHARED, 1000), 30_000);
  await converged([a, b], 30_000);
  const stageIds = (await a.api.stages.list({ projectId: project.id })).map((s) => s.id);

  await a.internals.sync.setOnline(workspaceId, false);
  await b.internals.sync.setOnline(workspaceId, false);
  const editMs: Record<string, number> = {};
  for (const [who, core, seed] of [['A', a, 1], ['B', b, 2]] as const) {
    t = performance.now();
    const n = await offlineEdits(core, who, project.id, stageIds, shared, EDITS, seed);
    editMs[who] = performance.now() - t;
    const { pendingChanges } = await core.api.sync.status({ workspaceId });
    console.log(`${who}: ${n} offline edits in ${Math.round(editMs[who])} ms (${(editMs[who] / n).toFixed(3)} ms each); ${pendingChanges} changes pending`);
  }
  const before = await Promise.all([checksum(a), checksum(b)]);
  console.log(`before reconnecting: A has ${before[0].n} tasks, B has ${before[1].n}`);
  // A replica comes back online some time after its last edit, not in the same millisecond: let
  // the work each store defers past a burst of writes (compaction, maintenance) run first.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const rooms = [workspaceRoom(workspaceId), projectRoom(workspaceId, project.id)];

  // The moment each replica last changed its projection (its `changed` events fire after commit).
  const lastChange = { a: 0, b: 0 };
  const offA = a.events.on('changed', () => (lastChange.a = performance.now()));
  const offB = b.events.on('changed', () => (lastChange.b = performance.now()));
  const start = performance.now();
  await Promise.all([a.internals.sync.setOnline(workspaceId, true), b.internals.sync.setOnline(workspaceId, true)]);
  // Polling checksums (a full scan of both task tables) would take the CPU and PGlite from the
  // merge it measures, in this one thread: poll the docs' state vectors (in memory, queued
  // behind the replicas' own work) and confirm with the checksums once they agree.
  let polls = 0;
  let sums: [Awaited<ReturnType<typeof checksum>>, Awaited<ReturnType<typeof checksum>>];
  for (;;) {
    polls++;
    const [svA, svB] = await Promise.all([stateVectors(a, rooms), stateVectors(b, rooms)]);
    if (svA === svB) {
      sums = [await checksum(a), await checksum(b)];
      // Identical, and merged for people too: tasks numbered alike offline have been renumbered.
      if (sums[0].sum === sums[1].sum && sums[0].numbers === sums[0].n) break;
    }
    if (performance.now() - start > TIMEOUT_MS) throw new Error(`projections still differ after ${TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const detected = performance.now() - start;
  const merged = Math.max(lastChange.a, lastChange.b) - start;
  offA();
  offB();
  const expected = SHARED + 2 * Math.floor(EDITS / 5);
  if (sums[0].n !== expected) throw new Error(`merged replicas hold ${sums[0].n} tasks, expected ${expected}`);
  console.log(`reconnect → identical task projections (${sums[0].n} tasks): ${Math.round(merged)} ms at the last projection write, seen by poll ${polls} at ${Math.round(detected)} ms`);
  await converged([a, b], 30_000);
  console.log('check: every projection table identical on both replicas');
  t = performance.now();
  await eventually(
    () => Promise.all([a.api.sync.status({ workspaceId }), b.api.sync.status({ workspaceId })]),
    (s) => s.every((x) => x.pendingChanges === 0 && x.state === 'connected'),
    60_000,
  );
  console.log(`both replicas: every change confirmed by the relay ${Math.round(performance.now() - start)} ms after reconnecting`);

  // Baselines on the merged state.
  t = performance.now();
  await b.internals.docs.rebuildProjection();
  const rebuildMs = performance.now() - t;
  if ((await checksum(b)).sum !== sums[0].sum) throw new Error('the rebuilt projection differs from the incrementally kept one');
  console.log(`baseline: B rebuilds its whole projection from its log in ${Math.round(rebuildMs)} ms (and it equals the kept one)`);
  const state = await a.internals.docs.encodeState(projectRoom(workspaceId, project.id));
  t = performance.now();
  const fresh = new Y.Doc();
  Y.applyUpdate(fresh, state);
  const yjsMs = performance.now() - t;
  fresh.destroy();
  console.log(`baseline: the merged project doc (${(state.byteLength / 1024).toFixed(0)} KiB) applied to a fresh Y.Doc in ${yjsMs.toFixed(1)} ms`);
  console.log(`ratio merge / rebuild: ${(merged / rebuildMs).toFixed(2)} (goal: merge <= 2,000 ms)`);

  report({
    bench: 'offline-merge',
    edits_per_replica: EDITS,
    tasks: sums[0].n,
    merge_ms: round(merged, 1),
    detected_ms: round(detected, 1),
    edits_a_ms: round(editMs.A!, 0),
    edits_b_ms: round(editMs.B!, 0),
    rebuild_ms: round(rebuildMs, 1),
    yjs_apply_ms: round(yjsMs, 1),
    ratio_vs_rebuild: round(merged / rebuildMs, 2),
  });
} finally {
  await team.close();
}
