/**
 * Jobs vs people: `tasks.update` latency through the in-process RPC (as local-write.ts) on a real
 * data dir while jobs run in the same core — a 50-page `site.audit` (concurrency 4) and a
 * `report.export` of a 10,000-task project as XLSX, both started with `jobs.runNow` — against the
 * same writes with no job running, in one run: idle, busy, idle, busy, idle blocks.
 *
 * The writes come at a person's pace: one at a time, each followed by a short pause (`--pause-ms`),
 * so the jobs get the time a person leaves them, as in the app.
 *
 * `--only audit` or `--only export` runs just that job in the busy blocks (to see which one costs
 * what; the goal is measured with both).
 *
 *   npx tsx bench/jobs-vs-people.ts [--tasks 3000] [--export-tasks 10000] [--pages 50] [--cycles 2] [--idle-writes 300] [--pause-ms 20] [--only audit|export]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { JobExecution } from '../src-main/contract';
import { createCore } from '../src-main/core/core';
import { projectRoom } from '../src-main/core/sync/rooms';
import { startAuditSiteProcess } from './support/audit-site';
import { numberArg, percentile, report, rng, round, seedTasks } from './support/lib';
import { connectTo } from '../src-main/core/testing/temp-core';

const TASKS = numberArg('tasks', 3_000);
const EXPORT_TASKS = numberArg('export-tasks', 10_000);
const PAGES = numberArg('pages', 50);
const CYCLES = numberArg('cycles', 2);
const IDLE_WRITES = numberArg('idle-writes', 300);
const PAUSE_MS = numberArg('pause-ms', 20);
const CONCURRENCY = numberArg('concurrency', 4);
const WARMUP = 100;
const onlyAt = process.argv.indexOf('--only');
const ONLY = onlyAt < 0 ? null : process.argv[onlyAt + 1];
if (ONLY !== null && ONLY !== 'audit' && ONLY !== 'export') throw new Error(`--only takes audit or export (got ${JSON.stringify(ONLY ?? '')})`);

const dataDir = mkdtempSync(join(tmpdir(), 'groundwork-bench-jobs-people-'));
const exportDir = mkdtempSync(join(tmpdir(), 'groundwork-bench-export-'));
console.log(`jobs-vs-people: data dir ${dataDir} (a real on-disk replica, deleted afterwards)`);
// The audited site runs in its own process, as a real site runs elsewhere: serving it is not the core's work.
const site = await startAuditSiteProcess(PAGES);
const { urls } = site;
const core = await createCore({ dataDir });
try {
  const { api } = connectTo(core);

  const workspace = await api.workspaces.create({ name: 'Bench' });
  const work = await api.projects.create({ workspaceId: workspace.id, name: 'Client work' });
  const big = await api.projects.create({ workspaceId: workspace.id, name: 'Exported project' });
  let t = performance.now();
  const ids = await seedTasks(core, { workspaceId: workspace.id, projectId: work.id, count: TASKS });
  await seedTasks(core, { workspaceId: workspace.id, projectId: big.id, count: EXPORT_TASKS, seed: 2 });
  await core.internals.docs.compact(projectRoom(workspace.id, work.id));
  await core.internals.docs.compact(projectRoom(workspace.id, big.id));
  await core.internals.docs.maintain();
  console.log(`seeded ${TASKS} tasks to edit and ${EXPORT_TASKS} to export in ${Math.round(performance.now() - t)} ms`);

  // Two jobs, scheduled far away (1 January, 03:00): they run only when the bench says runNow.
  const common = { workspaceId: workspace.id, schedule: '0 3 1 1 *', timezone: 'UTC' };
  const audit = await api.jobs.create({ ...common, name: 'Client site audit', type: 'site.audit', params: { urls, concurrency: CONCURRENCY } });
  const exporter = await api.jobs.create({ ...common, name: 'Weekly export', type: 'report.export', projectId: big.id, params: { folder: exportDir, format: 'xlsx' } });

  const random = rng(7);
  const kinds = ['title', 'priority', 'description'] as const;
  const priorities = ['low', 'normal', 'high', 'urgent'] as const;
  let n = 0;
  /** One person's edit, timed. */
  const write = async (): Promise<number> => {
    const id = ids[Math.floor(random() * ids.length)]!;
    const i = n++;
    const kind = kinds[i % kinds.length]!;
    const start = performance.now();
    if (kind === 'title') await api.tasks.update({ id, title: `Edited title ${i}` });
    else if (kind === 'priority') await api.tasks.update({ id, priority: priorities[i % priorities.length]! });
    else await api.tasks.update({ id, description: `Rewritten description ${i}.\nAcceptance: it works on every replica.` });
    const ms = performance.now() - start;
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    return ms;
  };

  t = performance.now();
  for (let i = 0; i < WARMUP; i++) await write();
  console.log(`warm-up: ${WARMUP} writes in ${Math.round(performance.now() - t)} ms`);

  const idle: number[] = [];
  const busy: number[] = [];
  /** Writes made while the export was still running (the heaviest part of a busy block). */
  const duringExport: number[] = [];
  const finished = (e: JobExecution) => !['queued', 'running'].includes(e.status);
  const idleBlock = async (label: string) => {
    const times: number[] = [];
    for (let i = 0; i < IDLE_WRITES; i++) times.push(await write());
    idle.push(...times);
    line(label, times);
  };
  const line = (label: string, times: number[], extra = '') => {
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`  ${label}: ${sorted.length} writes, p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(1)} ms${extra}`);
  };
  const busyBlock = async (label: string) => {
    const started = performance.now();
    const chosen = ONLY === 'audit' ? [audit] : ONLY === 'export' ? [exporter] : [audit, exporter];
    const runs: JobExecution[] = [];
    for (const job of chosen) {
      const r = await api.jobs.runNow({ id: job.id });
      if (!('execution' in r)) throw new Error('the bench runs its jobs on this core');
      runs.push(r.execution);
    }
    const exportRun = chosen.includes(exporter) ? runs.at(-1)! : null;
    const state = new Map(runs.map((e) => [e.id, e]));
    const ended = new Map<string, number>();
    const off = core.events.on('jobs', ({ execution }) => {
      if (!state.has(execution.id)) return;
      state.set(execution.id, execution);
      if (finished(execution) && !ended.has(execution.id)) ended.set(execution.id, performance.now() - started);
    });
    const times: number[] = [];
    const slowest: { at: number; ms: number }[] = [];
    try {
      // Bounded: a job that never ends stops the bench after 10 minutes.
      while ([...state.values()].some((e) => !finished(e)) && performance.now() - started < 600_000) {
        const exportRunning = exportRun !== null && !finished(state.get(exportRun.id)!);
        const at = performance.now() - started;
        const ms = await write();
        times.push(ms);
        slowest.push({ at, ms });
        if (exportRunning) duringExport.push(ms);
      }
    } finally {
      off();
    }
    busy.push(...times);
    const outcomes: string[] = [];
    for (const run of runs) {
      const e = state.get(run.id)!;
      if (e.status !== 'succeeded') throw new Error(`a job did not succeed: ${e.jobId === audit.id ? 'audit' : 'export'} ${e.status} ${e.error ?? ''}`);
      const seconds = (ended.get(e.id)! / 1000).toFixed(1);
      if (e.jobId === audit.id) outcomes.push(`audit ${seconds} s (${PAGES} pages)`);
      else {
        const result = (await api.jobs.execution({ id: e.id })).result as { tasks: number; files: { bytes: number }[] };
        outcomes.push(`export ${seconds} s (${result.tasks} tasks, ${result.files[0]?.bytes ?? 0} bytes XLSX)`);
      }
    }
    line(label, times, ` — ${outcomes.join(', ')}`);
    // Where the tail comes from: the slowest writes and when they started (ms into the block).
    slowest.sort((a, b) => b.ms - a.ms);
    console.log(`    slowest: ${slowest.slice(0, 6).map((w) => `${w.ms.toFixed(1)} ms at +${w.at.toFixed(0)}`).join(', ')}`);
  };

  await idleBlock('idle');
  for (let c = 0; c < CYCLES; c++) {
    await busyBlock('busy');
    await idleBlock('idle');
  }
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { p50: percentile(s, 50), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
  };
  const i = stats(idle);
  const b = stats(busy);
  const x = stats(duringExport);
  console.log(`idle: p50 ${i.p50.toFixed(2)} ms, p99 ${i.p99.toFixed(2)} ms (${idle.length} writes)`);
  console.log(`busy: p50 ${b.p50.toFixed(2)} ms, p99 ${b.p99.toFixed(2)} ms, max ${b.max.toFixed(1)} ms (${busy.length} writes)`);
  console.log(`  of which while the export ran: p50 ${x.p50.toFixed(2)} ms, p99 ${x.p99.toFixed(2)} ms, max ${x.max.toFixed(1)} ms (${duringExport.length} writes)`);
  console.log(`busy / idle: p50 ${(b.p50 / i.p50).toFixed(2)}, p99 ${(b.p99 / i.p99).toFixed(2)} (goal: both <= 2)`);
  report({
    bench: 'jobs-vs-people',
    tasks: TASKS,
    export_tasks: EXPORT_TASKS,
    pages: PAGES,
    only: ONLY ?? 'both',
    idle_p50_ms: round(i.p50),
    idle_p99_ms: round(i.p99),
    busy_p50_ms: round(b.p50),
    busy_p99_ms: round(b.p99),
    busy_max_ms: round(b.max, 1),
    export_p99_ms: round(x.p99),
    ratio_p50: round(b.p50 / i.p50, 2),
    ratio_p99: round(b.p99 / i.p99, 2),
  });
} finally {
  await core.close();
  await site.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(exportDir, { recursive: true, force: true });
}
