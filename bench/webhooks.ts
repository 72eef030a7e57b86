/**
 * webhooks: N task changes (`tasks.update`, one at a time, as fast as the core takes them) with 3
 * endpoints on a loopback receiver in its own process: events per second delivered (all deliveries
 * / time from the first change to the last arrival) and p99 from a change's call to its arrival at
 * the receiver. Baseline in the same run: a bare signed `fetch` loop sending the same number of
 * requests, one loop per endpoint path side by side (the sender's shape: endpoints in parallel, one
 * request at a time each). The receiver counts by `webhook-id`: lost and duplicated events printed.
 *
 *   npx tsx bench/webhooks.ts --changes 10000 --endpoints 3
 */
import { createCore } from '../src-main/core/core';
import { newWebhookSecret, webhookHeaders } from '../src-main/core/webhooks/signing';
import { startChildServer } from './support/child-server';
import { machine, numberArg, percentile, report, round } from './support/lib';

const changes = numberArg('changes', 10_000);
const endpointCount = numberArg('endpoints', 3);

interface Stats {
  [path: string]: { requests: number; unique: number; duplicates: number; arrivals: Record<string, number> };
}

const receiver = await startChildServer<{ url: string }>(new URL('./support/webhook-receiver-child.ts', import.meta.url), [], 'the webhook receiver');
const stats = async (): Promise<Stats> => (await fetch(`${receiver.value.url}/stats`)).json() as Promise<Stats>;
const core = await createCore({ dataDir: null });
try {
  // --- the bare signed fetch loop (baseline) ---
  const secret = newWebhookSecret();
  const bareStarted = Date.now();
  await Promise.all(
    Array.from({ length: endpointCount }, async (_, e) => {
      for (let i = 0; i < changes; i++) {
        const id = `msg_bare_${e}_${i}`;
        const body = JSON.stringify({ type: 'task.updated', timestamp: new Date().toISOString(), workspaceId: 'bench', data: { task: { title: `change-${i}` } } });
        const res = await fetch(`${receiver.value.url}/bare-${e}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...webhookHeaders([secret], id, Math.floor(Date.now() / 1000), body) },
          body,
          redirect: 'manual',
        });
        await res.arrayBuffer();
      }
    }),
  );
  const bareMs = Date.now() - bareStarted;
  const bareRate = (changes * endpointCount) / (bareMs / 1000);
  console.log(`bare signed fetch loop: ${changes * endpointCount} requests in ${bareMs} ms = ${round(bareRate, 0)}/s`);

  // --- the core: changes → outbox → sender ---
  const workspace = await core.api.workspaces.create({ name: 'Bench' });
  const project = await core.api.projects.create({ workspaceId: workspace.id, name: 'Bench', key: 'BEN' });
  const tasks = [];
  for (let i = 0; i < 100; i++) tasks.push(await core.api.tasks.create({ projectId: project.id, title: `seed-${i}` }));
  for (let e = 0; e < endpointCount; e++) {
    await core.api.webhooks.create({ workspaceId: workspace.id, url: `${receiver.value.url}/hook-${e}`, events: ['task.updated'] });
  }
  const calledAt = new Map<string, number>();
  const started = Date.now();
  for (let i = 0; i < changes; i++) {
    const title = `change-${i}`;
    calledAt.set(title, Date.now());
    await core.api.tasks.update({ id: tasks[i % tasks.length]!.id, title });
  }
  const changesMs = Date.now() - started;
  console.log(`${changes} changes saved in ${changesMs} ms`);
  // Bounded wait for the sender to finish (it may still be sending when the changes are done).
  const expected = changes * endpointCount;
  let seen: Stats = {};
  for (let waited = 0; waited < 30 * 60_000; waited += 250) {
    await core.internals.webhooks.idle();
    seen = await stats();
    const got = Object.entries(seen).filter(([p]) => p.startsWith('/hook-')).reduce((n, [, s]) => n + s.unique, 0);
    if (got >= expected) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const hooks = Object.entries(seen).filter(([p]) => p.startsWith('/hook-')).map(([, s]) => s);
  const unique = hooks.reduce((n, s) => n + s.unique, 0);
  const duplicates = hooks.reduce((n, s) => n + s.duplicates, 0);
  const latencies: number[] = [];
  let lastArrival = started;
  for (const s of hooks) {
    for (const [title, at] of Object.entries(s.arrivals)) {
      const called = calledAt.get(title);
      if (called !== undefined) latencies.push(at - called);
      lastArrival = Math.max(lastArrival, at);
    }
  }
  latencies.sort((a, b) => a - b);
  const deliveredMs = lastArrival - started;
  const rate = unique / (deliveredMs / 1000);
  console.log(`delivered ${unique}/${expected} (lost ${expected - unique}, duplicated ${duplicates}) in ${deliveredMs} ms = ${round(rate, 0)}/s`);
  console.log(`change → delivery p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`);
  console.log(`rate vs the bare loop: ${round(rate / bareRate, 2)}×`);
  report({
    bench: 'webhooks',
    machine: machine(),
    changes,
    endpoints: endpointCount,
    events_per_s: round(rate, 0),
    bare_per_s: round(bareRate, 0),
    ratio_vs_bare: round(rate / bareRate, 3),
    p50_ms: percentile(latencies, 50),
    p99_ms: percentile(latencies, 99),
    changes_ms: changesMs,
    lost: expected - unique,
    duplicated: duplicates,
  });
} finally {
  await core.close();
  await receiver.close();
}
