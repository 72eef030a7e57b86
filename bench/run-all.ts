/**
 * `npm run bench`: runs every bench/*.ts (each in its own process, one after another so they do
 * not compete for the CPU), reads the JSON object each prints as its last line, and rewrites
 * docs/BENCHMARKS.md with the figures, the goals and the machine they were measured on.
 *
 *   npx tsx bench/run-all.ts [name …]   (only the named benches; the table keeps the others' last figures)
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machine } from './support/lib';

type Result = Record<string, unknown> & { bench: string };

interface Goal {
  /** Column of the table: a result field, its label, and the goal it is held to. */
  field: string;
  label: string;
  goal?: { max: number; text: string };
}

/** What each bench reports and the goals of issue 2. Unknown benches are listed with every field. */
const known: Record<string, { title: string; note?: string; columns: Goal[] }> = {
  'local-write': {
    title: '`tasks.update` through the in-process RPC, project of 10,000 tasks, on-disk data dir',
    note:
      'Where the time goes: two statements — locating the task (one indexed join: its project, workspace ' +
      'and key) and one atomic statement appending the Yjs update to the log and upserting the row (CTEs) — ' +
      'plus about 0.3 ms of RPC, validation and Yjs. The baseline is one statement, so the ratio sits near 4 ' +
      'until the lookup is served from memory (a task → project index of the loaded docs).',
    columns: [
      { field: 'p50_ms', label: 'p50', goal: { max: 2, text: '≤ 2 ms' } },
      { field: 'p99_ms', label: 'p99', goal: { max: 8, text: '≤ 8 ms' } },
      { field: 'raw_p50_ms', label: 'raw PGlite UPDATE p50 (baseline)' },
      { field: 'ratio_vs_raw', label: 'p50 / raw UPDATE p50', goal: { max: 3, text: '≤ 3' } },
    ],
  },
  'relay-fanout': {
    title: 'relay fan-out, 1 writer and 49 readers in one room: change to the last reader applying it',
    columns: [
      { field: 'groundwork_p50_ms', label: 'Groundwork relay p50' },
      { field: 'groundwork_p99_ms', label: 'Groundwork relay p99' },
      { field: 'reference_p99_ms', label: '@y/websocket-server p99 (baseline)' },
      { field: 'floor_p99_ms', label: 'bare ws rebroadcast p99 (floor)' },
      { field: 'p99_vs_reference', label: 'p99 / reference p99', goal: { max: 0.8, text: '≤ 0.8' } },
      { field: 'p99_vs_floor', label: 'p99 / floor p99', goal: { max: 2, text: '≤ 2' } },
    ],
  },
  'cold-start': {
    title: 'fresh process: `createCore` on a data dir of 50,000 tasks + first board query (10,000-task project)',
    note:
      'createCore is mostly PGlite starting its WebAssembly Postgres (the same with an empty data dir); ' +
      'the board query is one JSON aggregate for 10,000 tasks plus cloning them through the RPC. It relies ' +
      'on planner statistics, which the doc store refreshes itself (PGlite runs no autovacuum).',
    columns: [
      { field: 'open_and_first_query_ms', label: 'open + first board query', goal: { max: 1500, text: '≤ 1,500 ms' } },
      { field: 'open_ms', label: 'of which createCore' },
      { field: 'first_query_ms', label: 'of which first board query' },
      { field: 'empty_ms', label: 'empty data dir (baseline)' },
      { field: 'ratio_vs_empty', label: 'ratio to empty' },
    ],
  },
};

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const docPath = fileURLToPath(new URL('../docs/BENCHMARKS.md', import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts')
  .map((f) => f.slice(0, -3))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

/** A bench that has printed its result but is still running after this long is stopped. */
const exitGraceMs = 30_000;
/** And any bench is stopped after this long (BENCH_TIMEOUT_MS, default 20 minutes). */
const timeoutMs = Number(process.env.BENCH_TIMEOUT_MS ?? 20 * 60_000);

const lastJson = (out: string): Result | null => {
  try {
    const value = JSON.parse(out.trim().split('\n').at(-1) ?? '') as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Result) : null;
  } catch {
    return null;
  }
};

function run(name: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    console.log(`\n=== ${name}`);
    const proc = spawn(process.execPath, ['--import', 'tsx', `${benchDir}${name}.ts`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let stoppedAfterResult = false;
    let grace: ReturnType<typeof setTimeout> | undefined;
    const deadline = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk);
      // Printed a result line but keeps running (an open handle): give it a moment, then stop it.
      clearTimeout(grace);
      if (lastJson(out)) {
        grace = setTimeout(() => {
          stoppedAfterResult = true;
          proc.kill('SIGKILL');
        }, exitGraceMs);
      }
    });
    proc.on('error', reject);
    proc.on('close', (code) => {
      clearTimeout(deadline);
      clearTimeout(grace);
      const result = lastJson(out);
      if (stoppedAfterResult && result) {
        console.warn(`bench ${name} printed its result but did not exit within ${exitGraceMs / 1000} s: stopped it (fix its open handles)`);
      } else if (code !== 0) return reject(new Error(`bench ${name} exited with ${code}`));
      if (!result) return reject(new Error(`bench ${name} did not print a JSON object as its last line`));
      resolve({ ...result, bench: typeof result.bench === 'string' ? result.bench : name });
    });
  });
}

/** The results recorded by the previous run (kept for benches not run this time). */
function previous(): Map<string, { result: Result; measured: string }> {
  const map = new Map<string, { result: Result; measured: string }>();
  if (!existsSync(docPath)) return map;
  const match = /<!-- results ([\s\S]*?) -->/.exec(readFileSync(docPath, 'utf8'));
  if (!match) return map;
  try {
    for (const entry of JSON.parse(match[1]!) as { result: Result; measured: string }[]) map.set(entry.result.bench, entry);
  } catch {
    // an edited or broken marker: start afresh
  }
  return map;
}

const fmt = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : String(v)) : String(v ?? '—'));

function render(entries: { result: Result; measured: string }[]): string {
  const m = machine();
  const lines = [
    '# Benchmarks',
    '',
    'Figures, not tests: each script in `bench/` measures one path of the core as a user runs it and',
    'prints a baseline measured in the same run on the same machine, so a ratio stays meaningful on a',
    'slower or busier computer. `npm run bench` runs them one after another, each in its own process,',
    'and rewrites this file. Write latency goes through the real RPC (`serve` + `connect`, messages',
    'JSON-cloned like a wire) on an on-disk data dir in a temp folder; the baseline is a bare PGlite',
    '`UPDATE` of one row on the same database. Cold start opens a data dir in a fresh child process',
    '(the median of several, the OS file cache warm) and answers the first screen of the board; the',
    'baseline is an empty, migrated data dir opened the same way. Seeded data dirs are cached under the',
    'OS temp dir, keyed by the schema version. Details and options: `bench/README.md`.',
    '',
    `Last run: ${new Date().toISOString().slice(0, 10)} on ${m.cpu}, ${m.cores} cores, Node ${m.node} (${m.platform}).`,
    'Machines shared with other work give noisy p99s; compare ratios across machines, not milliseconds.',
    '',
  ];
  for (const { result, measured } of entries) {
    const spec = known[result.bench];
    const columns: Goal[] =
      spec?.columns ??
      Object.keys(result)
        .filter((k) => k !== 'bench' && (typeof result[k] !== 'object' || result[k] === null))
        .map((field) => ({ field, label: field }));
    lines.push(`## ${result.bench}`, '', spec ? `${spec.title}. Measured ${measured}.` : `Measured ${measured}.`, '');
    if (spec?.note) lines.push(spec.note, '');
    lines.push('| figure | value | goal | |', '|---|---|---|---|');
    for (const c of columns) {
      const value = result[c.field];
      const unit = c.field.endsWith('_ms') ? ' ms' : '';
      const verdict = c.goal && typeof value === 'number' ? (value <= c.goal.max ? 'met' : '**missed**') : '';
      lines.push(`| ${c.label} | ${fmt(value)}${unit} | ${c.goal?.text ?? ''} | ${verdict} |`);
    }
    lines.push('', '```json', JSON.stringify(result), '```', '');
  }
  lines.push(`<!-- results ${JSON.stringify(entries)} -->`, '');
  return lines.join('\n');
}

const recorded = previous();
const today = new Date().toISOString().slice(0, 10);
let failed = false;
for (const name of benches) {
  try {
    const result = await run(name);
    recorded.set(result.bench, { result, measured: today });
  } catch (error) {
    failed = true;
    console.error(String(error));
  }
}
writeFileSync(docPath, render([...recorded.values()].sort((a, b) => a.result.bench.localeCompare(b.result.bench))));
console.log(`\nwrote ${docPath}`);
if (failed) process.exitCode = 1;
