/**
 * Scheduler: 1,000 jobs that run every minute (`* * * * *`) in mixed IANA zones, on a real core
 * with a job type that does nothing (registered through `createCore({ jobTypes })`).
 *
 * - Start: a fresh process opens a data dir holding the 1,000 definitions (`createCore`, which
 *   arms every job before it resolves), against the same data dir without jobs, each in its own
 *   child process, interleaved; also the time until its last timer is armed (one per
 *   distinct due time) and the RSS.
 * - Lateness: the core (in this process, on the same data dir) fires them for `--minutes`
 *   minute boundaries; lateness is the type's `run` starting vs the planned minute. Baseline in
 *   the same process and run: 1,000 bare `setTimeout`s aimed at the half-minute before each
 *   boundary (the core idle: the machine's floor), and 1,000 more at the boundaries themselves
 *   (they share the thread with the core's firings, so they show how long it holds the thread).
 *   Times are wall-clock (`wallNow`, re-synced with the system clock 5 s before each firing).
 *
 *   npx tsx bench/scheduler.ts [--jobs 1000] [--minutes 2] [--runs 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../src-main/core/core';
import { nodeScheduleTimers } from '../src-main/core/jobs/timers';
import { median, numberArg, percentile, report, round } from './support/lib';
import { inertTimers, noopJobType, noopTypeName, recordingTimers, resyncWallClock, wallNow } from './support/scheduler-probes';
import { runChild } from './support/seeded-data-dir';

const JOBS = numberArg('jobs', 1_000);
const MINUTES = numberArg('minutes', 2);
const RUNS = numberArg('runs', 3);
const zones = [
  'UTC',
  'Europe/Paris',
  'America/New_York',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Tokyo',
  'Asia/Kolkata', // +05:30
  'Asia/Kathmandu', // +05:45
  'Australia/Adelaide', // +09:30 / +10:30
  'Pacific/Auckland',
];
const child = fileURLToPath(new URL('./support/scheduler-child.ts', import.meta.url));
const benchStart = performance.now();

interface Opened {
  open_ms: number;
  settled_ms: number;
  armed: number;
  armed_ms: number | null;
  overdue_skipped: number;
  rss_mb: number;
}

const summarize = (label: string, xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const p = (q: number) => percentile(sorted, q);
  console.log(`  ${label}: n ${sorted.length}, p50 ${p(50).toFixed(1)} ms, p90 ${p(90).toFixed(1)} ms, p99 ${p(99).toFixed(1)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(1)} ms`);
  return { p50: p(50), p99: p(99), max: sorted.at(-1) ?? NaN };
};

console.log(`scheduler: ${JOBS} jobs '* * * * *' in ${zones.length} zones, a no-op job type; ${MINUTES} minutes of firings`);
const work = mkdtempSync(join(tmpdir(), 'groundwork-bench-scheduler-'));
const dirs = { empty: join(work, 'empty'), jobs: join(work, 'jobs') };
try {
  // Two data dirs: one workspace each, one of them with the job definitions. The seeding core's
  // timers never fire, so nothing runs (or writes) while the definitions are created.
  const t = performance.now();
  for (const which of ['empty', 'jobs'] as const) {
    const core = await createCore({ dataDir: dirs[which], timers: inertTimers, jobTypes: [noopJobType()] });
    const workspace = await core.api.workspaces.create({ name: 'Bench' });
    if (which === 'jobs') {
      for (let i = 0; i < JOBS; i++) {
        await core.api.jobs.create({
          workspaceId: workspace.id,
          name: `No-op ${i + 1}`,
          type: noopTypeName,
          schedule: '* * * * *',
          timezone: zones[i % zones.length]!,
          params: {},
          catchUp: 'skip',
        });
      }
      await core.internals.scheduler.settled();
    }
    await core.close();
  }
  console.log(`created ${JOBS} job definitions through jobs.create in ${Math.round(performance.now() - t)} ms`);

  // Start: each open in its own process, one unmeasured open of each first (OS file cache).
  const open = async (which: 'empty' | 'jobs') => (await runChild(['open', dirs[which], String(which === 'jobs' ? JOBS : 0)], child)).result as Opened;
  await open('empty');
  await open('jobs');
  const samples = { empty: [] as Opened[], jobs: [] as Opened[] };
  for (let run = 0; run < RUNS; run++) {
    for (const which of ['empty', 'jobs'] as const) {
      const s = await open(which);
      samples[which].push(s);
      console.log(
        `  ${which.padEnd(5)} run ${run + 1}: createCore ${s.open_ms.toFixed(0)} ms, ${s.armed} timers armed` +
          `${s.armed_ms === null ? '' : ` (the last ${s.armed_ms.toFixed(0)} ms after the call)`}, settled ${s.settled_ms.toFixed(0)} ms, ` +
          `${s.overdue_skipped} overdue runs skipped, rss ${s.rss_mb.toFixed(0)} MiB`,
      );
    }
  }
  const openJobs = median(samples.jobs.map((s) => s.open_ms));
  const openEmpty = median(samples.empty.map((s) => s.open_ms));
  const startMs = openJobs - openEmpty;
  const armedMs = median(samples.jobs.map((s) => s.armed_ms ?? NaN));
  const rssAdded = median(samples.jobs.map((s) => s.rss_mb)) - median(samples.empty.map((s) => s.rss_mb));
  console.log(`start: createCore median ${openJobs.toFixed(0)} ms with ${JOBS} jobs vs ${openEmpty.toFixed(0)} ms without: +${startMs.toFixed(0)} ms (goal <= 200 ms)`);
  console.log(`       every job's timer armed ${armedMs.toFixed(0)} ms after createCore was called; RSS added by the jobs ${rssAdded.toFixed(1)} MiB`);

  // Lateness: the core fires the jobs here; bare setTimeouts aim at the same minute boundaries.
  const runs: { jobId: string; at: number }[] = [];
  const timers = recordingTimers(nodeScheduleTimers());
  const core = await createCore({ dataDir: dirs.jobs, timers, jobTypes: [noopJobType((jobId, at) => runs.push({ jobId, at }))] });
  try {
    await core.internals.scheduler.settled();
    // The core fires its jobs on the minute; the half-minutes between are quiet (its bookkeeping
    // of a burst is over by then), which is where the floor of bare timers is measured.
    const firstQuiet = Math.ceil((Date.now() + 2_000 - 30_000) / 60_000) * 60_000 + 30_000;
    const firstBoundary = firstQuiet + 30_000;
    const boundaries = Array.from({ length: MINUTES }, (_, i) => firstBoundary + i * 60_000);
    const bare: number[] = [];
    const quietBare: number[] = [];
    const bareTimers: NodeJS.Timeout[] = [];
    const aim = (at: number, into: number[]) => {
      for (let i = 0; i < JOBS; i++) bareTimers.push(setTimeout(() => into.push(wallNow() - at), at - Date.now()));
    };
    for (const boundary of boundaries) {
      aim(boundary, bare);
      aim(boundary - 30_000, quietBare);
      for (const at of [boundary - 35_000, boundary - 5_000]) bareTimers.push(setTimeout(resyncWallClock, at - Date.now()));
    }
    const runsBefore = runs.length;
    console.log(
      `firing: waiting for ${MINUTES} minute boundaries from ${new Date(firstBoundary).toISOString()} (${((firstBoundary - Date.now()) / 1000).toFixed(0)} s away), ` +
        `bare timers at the same boundaries and at the half-minutes before them`,
    );
    // Until every job ran for the last boundary, or 50 s after it (a run more than that late is missing).
    const last = boundaries.at(-1)!;
    const counted = () => runs.filter((r) => r.at >= firstBoundary - 1_000).length;
    while (Date.now() < last + 50_000 && !(Date.now() > last && counted() >= JOBS * MINUTES)) await new Promise((r) => setTimeout(r, 250));
    bareTimers.forEach(clearTimeout);
    const lateness: number[] = [];
    for (const run of runs.slice(runsBefore)) {
      const planned = Math.floor(run.at / 60_000) * 60_000;
      if (boundaries.includes(planned)) lateness.push(run.at - planned);
    }
    const timerLateness = timers.fired.filter((f) => boundaries.includes(f.date)).map((f) => f.lateMs);
    console.log(`firings: ${lateness.length} of ${JOBS * MINUTES} runs started (bare timers: ${bare.length} on the minute, ${quietBare.length} on the half-minute)`);
    const core_ = summarize("core: the type's run() start vs the planned minute", lateness);
    const timer = summarize('of which the node-schedule timer callback vs its date', timerLateness);
    const base = summarize('bare setTimeout at the same minute boundaries, sharing the thread with the core', bare);
    const quiet = summarize('bare setTimeout at the half-minutes, the core idle (baseline)', quietBare);
    console.log(`ratio p99 core / quiet bare setTimeout: ${(core_.p99 / quiet.p99).toFixed(1)} (goal: p99 <= 20 ms)`);
    const { rows } = await core.internals.db.query<{ n: number }>('SELECT count(*)::int AS n FROM job_executions');
    console.log(`job_executions rows now: ${rows[0]?.n}; bench wall time ${((performance.now() - benchStart) / 1000).toFixed(0)} s`);
    report({
      bench: 'scheduler',
      jobs: JOBS,
      minutes: MINUTES,
      start_ms: round(startMs, 1),
      open_with_jobs_ms: round(openJobs, 1),
      open_empty_ms: round(openEmpty, 1),
      all_armed_ms: round(armedMs, 1),
      rss_added_mb: round(rssAdded, 1),
      firings: lateness.length,
      missing_firings: JOBS * MINUTES - lateness.length,
      lateness_p50_ms: round(core_.p50, 1),
      lateness_p99_ms: round(core_.p99, 1),
      lateness_max_ms: round(core_.max, 1),
      timer_p99_ms: round(timer.p99, 1),
      bare_p50_ms: round(quiet.p50, 1),
      bare_p99_ms: round(quiet.p99, 1),
      bare_same_minute_p99_ms: round(base.p99, 1),
      ratio_p99_vs_bare: round(core_.p99 / quiet.p99, 1),
    });
  } finally {
    await core.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
