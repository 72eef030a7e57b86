/**
 * Cold start: a fresh process opens a data dir holding 50,000 tasks (5 projects of 10,000) with
 * `createCore` and answers the first board query (projects.list + stages.list + tasks.list of a
 * 10,000-task project, through the in-process RPC), against the same in an empty data dir
 * (initialised and migrated, one project without tasks). Each open is its own child process; the
 * figure is the median of several runs, empty and full interleaved.
 *
 * The seeded data dirs are cached under the OS temp dir, keyed by the schema (migrations) and the
 * seed layout, so repeated runs skip the ~minute of seeding; each run opens a fresh copy of them.
 *
 *   npx tsx bench/cold-start.ts [--runs 5] [--reseed]
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, report, round } from './support/lib';
import { runChild, seededDataDir } from './support/seeded-data-dir';

const PROJECTS = 5;
const PER_PROJECT = 10_000;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

interface Opened {
  import_ms: number;
  open_ms: number;
  query_ms: number;
  tasks: number;
  rss_mb: number;
}

console.log(`cold-start: ${PROJECTS * PER_PROJECT} tasks (${PROJECTS} projects of ${PER_PROJECT}) vs an empty data dir, ${RUNS} runs each`);
const full = await seededDataDir(PROJECTS, PER_PROJECT);
const empty = await seededDataDir(1, 0);

// Open copies, so a run never changes (or, killed halfway, breaks) the cache.
const work = mkdtempSync(join(tmpdir(), 'groundwork-bench-cold-'));
try {
  const dirs = { full: join(work, 'full'), empty: join(work, 'empty') };
  cpSync(full.dir, dirs.full, { recursive: true });
  cpSync(empty.dir, dirs.empty, { recursive: true });
  const open = async (which: 'full' | 'empty') => {
    const { ids } = which === 'full' ? full : empty;
    const { result, wallMs } = await runChild(['open', dirs[which], ids.workspaceId, ids.projectId]);
    return { ...(result as Opened), wall_ms: wallMs };
  };
  // One unmeasured open of each first: the OS file cache then holds both (no run pays disk reads
  // the others do not).
  await open('empty');
  await open('full');
  const samples = { full: [] as (Opened & { wall_ms: number })[], empty: [] as (Opened & { wall_ms: number })[] };
  for (let run = 0; run < RUNS; run++) {
    for (const which of ['empty', 'full'] as const) {
      const s = await open(which);
      samples[which].push(s);
      console.log(
        `  ${which.padEnd(5)} run ${run + 1}: createCore ${s.open_ms.toFixed(0)} ms + first board query ${s.query_ms.toFixed(0)} ms ` +
          `(${s.tasks} tasks) = ${(s.open_ms + s.query_ms).toFixed(0)} ms; module import ${s.import_ms.toFixed(0)} ms, ` +
          `process wall ${s.wall_ms.toFixed(0)} ms, rss ${s.rss_mb} MiB`,
      );
    }
  }
  const summary = (which: 'full' | 'empty') => {
    const xs = samples[which];
    return {
      total: median(xs.map((s) => s.open_ms + s.query_ms)),
      open: median(xs.map((s) => s.open_ms)),
      query: median(xs.map((s) => s.query_ms)),
      wall: median(xs.map((s) => s.wall_ms)),
    };
  };
  const f = summary('full');
  const e = summary('empty');
  console.log(`median, ${PROJECTS * PER_PROJECT} tasks: createCore ${f.open.toFixed(0)} ms + first board query ${f.query.toFixed(0)} ms = ${f.total.toFixed(0)} ms (process wall ${f.wall.toFixed(0)} ms)`);
  console.log(`median, empty:        createCore ${e.open.toFixed(0)} ms + first board query ${e.query.toFixed(0)} ms = ${e.total.toFixed(0)} ms (process wall ${e.wall.toFixed(0)} ms)`);
  console.log(`ratio full / empty: ${(f.total / e.total).toFixed(2)} (goal: <= 1500 ms)`);
  report({
    bench: 'cold-start',
    tasks: PROJECTS * PER_PROJECT,
    board_tasks: PER_PROJECT,
    runs: RUNS,
    open_and_first_query_ms: round(f.total, 1),
    open_ms: round(f.open, 1),
    first_query_ms: round(f.query, 1),
    empty_ms: round(e.total, 1),
    ratio_vs_empty: round(f.total / e.total, 2),
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
