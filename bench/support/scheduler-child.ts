/**
 * One start of a core, in a fresh process (spawned by bench/scheduler.ts), so each start pays its
 * own PGlite boot and its RSS is the core's alone:
 *   open <dataDir> <jobs>  → createCore with real node-schedule timers (wrapped to count arming),
 *                            timed until it resolves and until its last timer is armed (the
 *                            scheduler arms one timer per distinct due time, not one per job)
 * Prints one JSON line.
 */
import { performance } from 'node:perf_hooks';

const [mode, dataDir, jobsArg] = process.argv.slice(2);
if (mode !== 'open' || !dataDir || jobsArg === undefined) throw new Error('usage: scheduler-child open <dataDir> <jobs>');
const expected = Number(jobsArg);

const { createCore } = await import('../../src-main/core/core');
const { nodeScheduleTimers } = await import('../../src-main/core/jobs/timers');
const { noopJobType, recordingTimers } = await import('./scheduler-probes');

const timers = recordingTimers(nodeScheduleTimers());
let skippedMissed = 0;
const quiet = () => {};
const logger = {
  // The scheduler logs each missed run it skips (catch-up: skip): how many were overdue at start.
  info: (obj: object | string, msg?: string) => void (typeof msg === 'string' && msg.includes('missed run') && skippedMissed++),
  warn: quiet,
  error: (obj: object | string, msg?: string) => console.error('core error:', msg ?? '', obj),
  debug: quiet,
};
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const core = await createCore({ dataDir, timers, jobTypes: [noopJobType()], logger });
const t1 = performance.now();
// Bookkeeping the start left in flight (summaries of overdue jobs) ends before RSS is read.
await core.internals.scheduler.settled();
const t2 = performance.now();
const rss = process.memoryUsage().rss;
await core.close();
console.log(
  JSON.stringify({
    open_ms: t1 - t0,
    settled_ms: t2 - t0,
    armed: timers.armed,
    // Time from createCore's call until the last timer was armed (null: none, or no jobs expected).
    armed_ms: timers.armed > 0 && expected > 0 ? timers.lastArmedAt - t0 : null,
    overdue_skipped: skippedMissed,
    rss_mb: rss / 2 ** 20,
    rss_before_mb: rssBefore / 2 ** 20,
  }),
);
