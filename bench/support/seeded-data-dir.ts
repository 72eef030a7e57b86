/**
 * Seeded data dirs for benches, cached under the OS temp dir and keyed by the schema (migrations)
 * and the seed layout, so repeated runs skip the ~minute of seeding. Benches open copies, never
 * the cache. Seeding runs in a child process (support/cold-start-child.ts `seed`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { schemaKey } from './lib';

const SEED_LAYOUT = 2; // bump when seedTasks or the child's seed layout changes
const child = fileURLToPath(new URL('./cold-start-child.ts', import.meta.url));

export interface Seeded {
  workspaceId: string;
  /** The first project (the one a bench opens). */
  projectId: string;
  tasks: number;
}

/** Runs a bench child script (support/cold-start-child.ts unless told) with `args` and parses the JSON line it prints last. */
export function runChild(args: string[], script = child): Promise<{ result: unknown; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const wallMs = performance.now() - started;
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`bench child ${script} ${args[0]} exited with ${code}: ${out}`));
      try {
        resolve({ result: JSON.parse(last), wallMs });
      } catch {
        reject(new Error(`bench child ${script} printed no result: ${out}`));
      }
    });
  });
}

/**
 * A data dir of `projects` projects of `perProject` tasks each, from the cache, built from scratch
 * when missing, stale or when the command line says `--reseed`.
 */
export async function seededDataDir(projects: number, perProject: number): Promise<{ dir: string; ids: Seeded }> {
  // The name cold-start has always used, so every bench shares the same cached dirs.
  const name = perProject === 0 ? 'empty' : `tasks-${projects}x${perProject}`;
  const root = join(tmpdir(), 'groundwork-bench', `cold-start-${schemaKey()}-s${SEED_LAYOUT}`, name);
  const ready = join(root, 'ready.json');
  if (!process.argv.includes('--reseed') && existsSync(ready)) {
    console.log(`  using cached ${root}`);
    return { dir: join(root, 'data'), ids: JSON.parse(readFileSync(ready, 'utf8')) as Seeded };
  }
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const started = performance.now();
  const { result } = await runChild(['seed', join(root, 'data'), String(projects), String(perProject)]);
  writeFileSync(ready, JSON.stringify(result)); // written last: a half-built cache is rebuilt next time
  console.log(`  seeded ${root} (${(result as Seeded).tasks} tasks) in ${Math.round(performance.now() - started)} ms`);
  return { dir: join(root, 'data'), ids: result as Seeded };
}
