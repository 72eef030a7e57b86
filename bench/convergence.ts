/**
 * Convergence latency: an edit made through replica A's API (`tasks.update`) until it is in
 * replica B's PGlite projection. Both replicas are real cores (in-memory PGlite) joined through
 * invites to a real relay (in-memory PGlite storage, durable before broadcast) on 127.0.0.1, all
 * in this process — as `startTeam` in the core's tests builds them. The path measured:
 * A's doc transaction + log/projection write → WebSocket to the relay → relay applies, appends to
 * its storage, broadcasts → B applies it through its durable path (log + projection) → B's
 * `changed` event → one indexed read of B's `tasks` row showing the new title.
 *
 * Baseline in the same run: the round trip of a bare `ws` echo on loopback (client → server →
 * client, the same two hops), in the same process, alternating with the edits in blocks.
 *
 *   npx tsx bench/convergence.ts [--edits 300] [--tasks 200]
 */
import { performance } from 'node:perf_hooks';
import WebSocket, { WebSocketServer } from 'ws';
import type { Core } from '../src-main/core/core';
import { eventually, startTeam } from '../src-main/core/testing/team';
import { numberArg, percentile, report, rng, round } from './support/lib';

const EDITS = numberArg('edits', 300);
const TASKS = numberArg('tasks', 200);
const WARMUP = 50;
const BLOCK = 50; // edits and echoes alternate in blocks, so drift hits both alike
const TIMEOUT_MS = 10_000;

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1)! };
};
const line = (name: string, s: ReturnType<typeof stats>) =>
  `${name}: p50 ${s.p50.toFixed(3)} ms, p90 ${s.p90.toFixed(3)} ms, p99 ${s.p99.toFixed(3)} ms, max ${s.max.toFixed(3)} ms`;

/** Resolves when B's projection shows `title` for task `id` (checked on each of B's change events). */
function arrival(b: Core, id: string, title: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => finish(new Error(`edit of ${id} did not reach replica B in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    const finish = (result: number | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      off();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const off = b.events.on('changed', (event) => {
      if (event.entity !== 'task' || !event.ids.includes(id)) return;
      void b.internals.db
        .query<{ title: string }>('SELECT title FROM tasks WHERE id = $1', [id])
        .then(({ rows }) => {
          if (rows[0]?.title === title) finish(performance.now());
        }, finish);
    });
  });
}

/** A bare WebSocket echo on loopback: the floor for any message that goes out and comes back. */
async function echoPair() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (socket) => socket.on('message', (data, binary) => socket.send(data, { binary })));
  const { port } = server.address() as { port: number };
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise<void>((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
  });
  const payload = Buffer.alloc(96, 7); // about the size of one title edit's Yjs update frame
  return {
    roundTrip: () =>
      new Promise<number>((resolve) => {
        const start = performance.now();
        client.once('message', () => resolve(performance.now() - start));
        client.send(payload);
      }),
    close: async () => {
      client.close();
      for (const socket of server.clients) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let t = performance.now();
const team = await startTeam(2);
const echo = await echoPair();
try {
  const [a, b] = team.cores as [Core, Core];
  const workspaceId = team.workspace.id;
  console.log(`convergence: relay ${team.relay.url} (in-memory storage), 2 in-memory replicas joined through invites, in ${Math.round(performance.now() - t)} ms`);

  t = performance.now();
  const project = await a.api.projects.create({ workspaceId, name: 'Website', key: 'WEB' });
  const ids: string[] = [];
  for (let i = 0; i < TASKS; i++) ids.push((await a.api.tasks.create({ projectId: project.id, title: `Task ${i}` })).id);
  await eventually(
    () => b.internals.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks WHERE project_id = $1', [project.id]),
    (r) => r.rows[0]?.n === TASKS,
    30_000,
  );
  console.log(`${TASKS} tasks created on A and arrived on B in ${Math.round(performance.now() - t)} ms`);

  const random = rng(7);
  const pick = () => ids[Math.floor(random() * ids.length)]!;
  /** One edit on A; returns [A's call resolved, arrived in B's projection] in ms from the start. */
  const edit = async (i: number): Promise<[number, number]> => {
    const id = pick();
    const title = `Edited on A #${i}`;
    const arrived = arrival(b, id, title);
    const start = performance.now();
    await a.api.tasks.update({ id, title });
    const local = performance.now() - start;
    return [local, (await arrived) - start];
  };

  for (let i = 0; i < WARMUP; i++) {
    await edit(-1 - i);
    await echo.roundTrip();
  }

  const totals: number[] = [];
  const locals: number[] = [];
  const echoes: number[] = [];
  t = performance.now();
  for (let done = 0; done < EDITS; done += BLOCK) {
    for (let i = done; i < Math.min(EDITS, done + BLOCK); i++) {
      const [local, total] = await edit(i);
      locals.push(local);
      totals.push(total);
    }
    for (let i = done; i < Math.min(EDITS, done + BLOCK); i++) echoes.push(await echo.roundTrip());
  }
  const wall = performance.now() - t;
  const total = stats(totals);
  const local = stats(locals);
  const floor = stats(echoes);
  console.log(`${EDITS} edits (one at a time, each waited for on B) + ${EDITS} echoes in ${Math.round(wall)} ms`);
  console.log(line('A tasks.update → in B projection', total));
  console.log(line('  of which A tasks.update resolved', local));
  console.log(line('bare ws echo round trip (baseline)', floor));
  console.log(`ratio p50 / echo p50: ${(total.p50 / floor.p50).toFixed(1)} (goal: p50 <= 5 ms)`);

  // The replicas agree on every task after all that.
  const checksum = (core: Core) =>
    core.internals.db
      .query<{ sum: string }>("SELECT md5(string_agg(id || ':' || title, ',' ORDER BY id)) AS sum FROM tasks")
      .then((r) => r.rows[0]?.sum);
  await eventually(async () => [await checksum(a), await checksum(b)], ([x, y]) => x === y, 10_000);
  console.log('check: both projections hold the same tasks and titles');

  report({
    bench: 'convergence',
    edits: EDITS,
    tasks: TASKS,
    p50_ms: round(total.p50),
    p99_ms: round(total.p99),
    local_write_p50_ms: round(local.p50),
    echo_p50_ms: round(floor.p50),
    echo_p99_ms: round(floor.p99),
    ratio_vs_echo: round(total.p50 / floor.p50, 1),
  });
} finally {
  await echo.close();
  await team.close();
}
