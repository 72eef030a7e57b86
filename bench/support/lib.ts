/**
 * Shared bench helpers: seeding many tasks fast (through the core's own doc store, in the same
 * field layout as tasks.create), percentiles, machine facts and the last-line JSON result.
 */
import { cpus } from 'node:os';
import { generateNKeysBetween } from 'fractional-indexing';
import { uuidv7 } from 'uuidv7';
import type { Core } from '../../src-main/core/core';
import { knownMigrations } from '../../src-main/core/db/migrate';
import { listStages } from '../../src-main/core/stages/stages.repo';
import { localOrigin } from '../../src-main/core/sync/origins';
import { projectRoom } from '../../src-main/core/sync/rooms';
import { newTaskEntity } from '../../src-main/core/tasks/tasks.api';

const priorities = ['low', 'normal', 'high', 'urgent'] as const;
const words = ['audit', 'draft', 'review', 'ship', 'fix', 'design', 'migrate', 'test', 'plan', 'document', 'refactor', 'deploy'];

/** Deterministic pseudo-random numbers (mulberry32), so every run edits the same tasks. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Adds `count` tasks to a project, spread over its stages, in doc transactions of `batch` tasks.
 * Each batch is one durable write (update log + projection in one PGlite transaction), exactly
 * like a sync bringing in many tasks at once. Returns the new task ids.
 */
export async function seedTasks(
  core: Core,
  { workspaceId, projectId, count, batch = 2_000, seed = 1 }: { workspaceId: string; projectId: string; count: number; batch?: number; seed?: number },
): Promise<string[]> {
  const stages = await listStages(core.internals.db, projectId);
  if (stages.length === 0) throw new Error(`project ${projectId} has no stages`);
  const perStage = Math.ceil(count / stages.length);
  const keys = generateNKeysBetween(null, null, perStage);
  const random = rng(seed);
  const ids: string[] = [];
  const room = projectRoom(workspaceId, projectId);
  for (let start = 0; start < count; start += batch) {
    const end = Math.min(count, start + batch);
    const now = new Date().toISOString();
    await core.internals.docs.write(room, localOrigin(), (doc) => {
      const tasks = doc.getMap<unknown>('tasks');
      for (let i = start; i < end; i++) {
        const id = uuidv7();
        ids.push(id);
        const stage = stages[i % stages.length]!;
        const title = `${words[i % words.length]} ${words[(i * 7) % words.length]} #${i + 1}`;
        const fields = {
          title,
          description: i % 3 === 0 ? `Notes for ${title}.\nAcceptance: it works on every replica.` : '',
          priority: priorities[Math.floor(random() * priorities.length)],
          assigneeIds: [],
          labels: i % 4 === 0 ? ['bench'] : [],
          dueDate: null,
          estimateHours: i % 5 === 0 ? (i % 13) + 1 : null,
        };
        tasks.set(id, newTaskEntity(fields, { number: i + 1, stageId: stage.id, order: keys[Math.floor(i / stages.length)]!, now, createdOn: 'bench' }));
      }
    });
  }
  return ids;
}

/** A key for cached seeded data dirs: changes whenever the schema (migrations) changes. */
export function schemaKey(): string {
  const known = knownMigrations();
  return `m${known.length}-${known.at(-1)?.name ?? 'none'}`;
}

/** `--name N` from the command line, or `fallback`; anything but a number there is refused by name. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number (got ${JSON.stringify(process.argv[i + 1] ?? '')})`);
  return value;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export const round = (n: number, digits = 3) => Number(n.toFixed(digits));

export function machine() {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Prints the result as the last line of output (bench/run-all.ts reads it). */
export function report(result: Record<string, unknown>): void {
  console.log(JSON.stringify(result));
}
