/**
 * webhooks: N task changes with 3 endpoints on a loopback receiver in its own process (as a real
 * receiver runs elsewhere; it counts by `webhook-id`: lost and duplicated events printed). A real
 * on-disk replica. Two phases, each against a bare signed `fetch` loop run in the same process
 * sending the same number of requests in the sender's shape (endpoints in parallel,
 * `inFlightPerEndpoint` requests at a time each):
 *
 *  1. **Live**: the changes made one at a time, as fast as the core takes them (`tasks.update`),
 *     while the sender sends: p50/p99 from a change's call to its arrival at the receiver, and the
 *     end-to-end rate (deliveries / first change → last arrival). This rate is bounded by the saves
 *     themselves — the bare loop saves nothing — so it is reported, not held to the goal.
 *  2. **Backlog** (the goal's rate): the sender is stopped (as at quit) while the changes are saved
 *     — their events go into the outbox as always —, then the core restarts on that data dir and
 *     its sender sends the backlog, as after a crash, a quit or an outage: deliveries per second
 *     from the first arrival to the last. That is the sender's own rate against the bare loop's.
 *     The backlog is also set against a bare loop in the sender's own transport (node:http with
 *     kept-alive sockets, not fetch: webhook-transport.ts), so what the outbox itself costs shows
 *     apart from what the transport saves.
 *
 *   npx tsx bench/webhooks.ts --changes 10000 --endpoints 3
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../src-main/core/core';
import { nodeMain } from '../src-main/core/main/main-client';
import { keyFileSealer } from '../src-main/core/sync/secrets';
import { newWebhookSecret, webhookHeaders } from '../src-main/core/webhooks/signing';
import { inFlightPerEndpoint } from '../src-main/core/webhooks/webhook-lane';
import { startChildServer } from './support/child-server';
import { machine, numberArg, percentile, report, round } from './support/lib';

const changes = numberArg('changes', 10_000);
const endpointCount = numberArg('endpoints', 3);
const expected = changes * endpointCount;

interface PathStats {
  requests: number;
  unique: number;
  duplicates: number;
  arrivals: Record<string, number>;
}
type Stats = Record<string, PathStats>;

const receiver = await startChildServer<{ url: string }>(new URL('./support/webhook-receiver-child.ts', import.meta.url), [], 'the webhook receiver');
const stats = async (): Promise<Stats> => (await fetch(`${receiver.value.url}/stats`)).json() as Promise<Stats>;
const paths = (seen: Stats, prefix: string) => Object.entries(seen).filter(([path]) => path.startsWith(prefix)).map(([, s]) => s);

/** One bare POST, its answer read. */
type Send = (url: string, headers: Record<string, string>, body: string) => Promise<void>;

/** The baseline: `fetch`, as a script would send. */
const fetchSend: Send = async (url, headers, body) => {
  const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual' });
  await res.arrayBuffer();
};

/** The sender's own transport, bare: node:http with kept-alive sockets (webhook-transport.ts says why). */
const agent = new http.Agent({ keepAlive: true });
const httpSend: Send = (url, headers, body) =>
  new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end(body);
  });

/** A body the size and shape of the sender's `task.updated` events (~570 bytes: it is signed and parsed). */
const at = new Date().toISOString();
const taskUpdatedBody = (title: string) =>
  JSON.stringify({
    type: 'task.updated',
    timestamp: new Date().toISOString(),
    workspaceId: '01a22606-e1f5-7526-be48-7aa5760b084d',
    data: {
      task: {
        id: '01a22606-e219-7e70-8eea-1c507650e895',
        projectId: '01a22606-e20b-77b7-a7cc-c6d7c7d61e8f',
        number: 1,
        title,
        stageId: '01a22606-e20d-7c9b-9d0d-df589365f413',
        order: 'a0',
        priority: 'normal',
        assigneeIds: [],
        labels: [],
        dueDate: null,
        estimateHours: null,
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
      },
      changes: { title: { from: 'seed-0', to: title } },
    },
  });

/** A bare signed loop: `expected` requests to `/<prefix>-<endpoint>` in the sender's shape; requests per second. */
async function bareLoop(prefix: string, send: Send, name: string): Promise<number> {
  const secret = newWebhookSecret();
  const started = Date.now();
  await Promise.all(
    Array.from({ length: endpointCount * inFlightPerEndpoint }, async (_, loop) => {
      const e = loop % endpointCount;
      for (let i = Math.floor(loop / endpointCount); i < changes; i += inFlightPerEndpoint) {
        const id = `msg_${prefix}_${e}_${i}`;
        const body = taskUpdatedBody(`change-${i}`);
        await send(`${receiver.value.url}/${prefix}-${e}`, { 'content-type': 'application/json', ...webhookHeaders([secret], id, Math.floor(Date.now() / 1000), body) }, body);
      }
    }),
  );
  const ms = Date.now() - started;
  const rate = expected / (ms / 1000);
  console.log(`  bare signed ${name} loop: ${expected} requests in ${ms} ms = ${round(rate, 0)}/s`);
  return rate;
}

/** A workspace with 100 tasks and the endpoints `/<prefix>-<n>` subscribed to task.updated. */
async function setUp(core: Core, prefix: string) {
  const workspace = await core.api.workspaces.create({ name: 'Bench' });
  const project = await core.api.projects.create({ workspaceId: workspace.id, name: 'Bench', key: 'BEN' });
  const tasks = [];
  for (let i = 0; i < 100; i++) tasks.push(await core.api.tasks.create({ projectId: project.id, title: `seed-${i}` }));
  for (let e = 0; e < endpointCount; e++) {
    await core.api.webhooks.create({ workspaceId: workspace.id, url: `${receiver.value.url}/${prefix}-${e}`, events: ['task.updated'] });
  }
  return tasks.map((t) => t.id);
}

/** Makes the changes one at a time; the call time of each (by its title). */
async function makeChanges(core: Core, taskIds: string[]): Promise<Map<string, number>> {
  const calledAt = new Map<string, number>();
  const started = Date.now();
  for (let i = 0; i < changes; i++) {
    const title = `change-${i}`;
    calledAt.set(title, Date.now());
    await core.api.tasks.update({ id: taskIds[i % taskIds.length]!, title });
  }
  console.log(`  ${changes} changes saved in ${Date.now() - started} ms`);
  return calledAt;
}

/** Bounded wait until the receiver has every delivery of `prefix` (or 30 minutes); what it saw. */
async function delivered(core: Core, prefix: string): Promise<PathStats[]> {
  let seen: PathStats[] = [];
  for (let waited = 0; waited < 30 * 60_000; waited += 250) {
    await core.internals.webhooks.idle();
    seen = paths(await stats(), `/${prefix}-`);
    if (seen.reduce((n, s) => n + s.unique, 0) >= expected) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const unique = seen.reduce((n, s) => n + s.unique, 0);
  const duplicates = seen.reduce((n, s) => n + s.duplicates, 0);
  console.log(`  delivered ${unique}/${expected} (lost ${expected - unique}, duplicated ${duplicates})`);
  return seen;
}

const arrivalTimes = (seen: PathStats[]) => seen.flatMap((s) => Object.values(s.arrivals));
const tally = (seen: PathStats[]) => ({ lost: expected - seen.reduce((n, s) => n + s.unique, 0), duplicated: seen.reduce((n, s) => n + s.duplicates, 0) });

const dataDirs: string[] = [];
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'groundwork-bench-webhooks-'));
  dataDirs.push(dir);
  return dir;
};

try {
  // --- 1. live: changes while the sender sends ---
  console.log('live: changes made while the sender sends');
  const liveBare = await bareLoop('bare-live', fetchSend, 'fetch');
  const live = await createCore({ dataDir: newDataDir() });
  let liveResult!: { bare_per_s: number; end_to_end_per_s: number; ratio_vs_bare: number; p50_ms: number; p99_ms: number; lost: number; duplicated: number };
  try {
    const taskIds = await setUp(live, 'live');
    const started = Date.now();
    const calledAt = await makeChanges(live, taskIds);
    const seen = await delivered(live, 'live');
    const latencies: number[] = [];
    for (const s of seen) for (const [title, at] of Object.entries(s.arrivals)) latencies.push(at - calledAt.get(title)!);
    latencies.sort((a, b) => a - b);
    const ms = Math.max(...arrivalTimes(seen)) - started;
    const rate = expected / (ms / 1000);
    console.log(`  first change → last arrival ${ms} ms = ${round(rate, 0)}/s (${round(rate / liveBare, 2)}× the bare loop; bounded by the saves)`);
    console.log(`  change → delivery p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`);
    liveResult = { bare_per_s: round(liveBare, 0), end_to_end_per_s: round(rate, 0), ratio_vs_bare: round(rate / liveBare, 3), p50_ms: percentile(latencies, 50), p99_ms: percentile(latencies, 99), ...tally(seen) };
  } finally {
    await live.close();
  }

  // --- 2. backlog: the sender stopped while the changes are saved, then a restart sends them ---
  console.log('backlog: changes saved with the sender stopped, then a restart sends them');
  const dir = newDataDir();
  // The endpoints' secrets are sealed with a key both cores open, as the OS keychain is across restarts.
  const main = nodeMain({ sealer: keyFileSealer(join(newDataDir(), 'secret.key')) });
  const before = await createCore({ dataDir: dir, main: main.client });
  try {
    const taskIds = await setUp(before, 'backlog');
    await before.internals.webhooks.close();
    await makeChanges(before, taskIds);
  } finally {
    await before.close();
  }
  const backlogBare = await bareLoop('bare-backlog', fetchSend, 'fetch');
  const backlogBareHttp = await bareLoop('bare-http-backlog', httpSend, 'node:http');
  const opened = Date.now();
  const after = await createCore({ dataDir: dir, main: main.client });
  let backlogResult!: { bare_per_s: number; bare_http_per_s: number; events_per_s: number; ratio_vs_bare: number; ratio_vs_bare_http: number; open_to_first_ms: number; lost: number; duplicated: number };
  try {
    const seen = await delivered(after, 'backlog');
    const arrivals = arrivalTimes(seen);
    const first = Math.min(...arrivals);
    const ms = Math.max(...arrivals) - first;
    const rate = expected / (ms / 1000);
    console.log(`  open → first arrival ${first - opened} ms; first → last arrival ${ms} ms = ${round(rate, 0)}/s`);
    console.log(`  rate vs the bare fetch loop: ${round(rate / backlogBare, 2)}×; vs the bare node:http loop: ${round(rate / backlogBareHttp, 2)}×`);
    backlogResult = {
      bare_per_s: round(backlogBare, 0),
      bare_http_per_s: round(backlogBareHttp, 0),
      events_per_s: round(rate, 0),
      ratio_vs_bare: round(rate / backlogBare, 3),
      ratio_vs_bare_http: round(rate / backlogBareHttp, 3),
      open_to_first_ms: first - opened,
      ...tally(seen),
    };
  } finally {
    await after.close();
    main.close();
  }

  // Flat (bench/run-all.ts reads top-level fields): the backlog's rate is the goal's; live_* beside it.
  report({
    bench: 'webhooks',
    machine: machine(),
    changes,
    endpoints: endpointCount,
    in_flight_per_endpoint: inFlightPerEndpoint,
    events_per_s: backlogResult.events_per_s,
    bare_per_s: backlogResult.bare_per_s,
    ratio_vs_bare: backlogResult.ratio_vs_bare,
    bare_http_per_s: backlogResult.bare_http_per_s,
    ratio_vs_bare_http: backlogResult.ratio_vs_bare_http,
    open_to_first_ms: backlogResult.open_to_first_ms,
    live_end_to_end_per_s: liveResult.end_to_end_per_s,
    live_bare_per_s: liveResult.bare_per_s,
    live_ratio_vs_bare: liveResult.ratio_vs_bare,
    live_p50_ms: liveResult.p50_ms,
    live_p99_ms: liveResult.p99_ms,
    lost: liveResult.lost + backlogResult.lost,
    duplicated: liveResult.duplicated + backlogResult.duplicated,
  });
} finally {
  agent.destroy();
  await receiver.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
}
