/**
 * Small job types for the scheduler's tests, registered through `createCore({ jobTypes })` and run
 * by the real scheduler: one that succeeds, one that waits until aborted (or released), one that
 * fails a given number of times first. State they share with the test is keyed by a param.
 */
import { z } from 'zod';
import type { JobType } from '../job-type';

/** Runs per key (all types), so a test can count what actually executed. */
export const runsByKey = new Map<string, number>();
const count = (key: string) => {
  const n = (runsByKey.get(key) ?? 0) + 1;
  runsByKey.set(key, n);
  return n;
};

const keyed = z.strictObject({ key: z.string() });
const runResult = z.strictObject({ run: z.number().int() });
const releasedResult = z.strictObject({ released: z.boolean() });
const flakyParams = z.strictObject({ key: z.string(), failures: z.number().int().min(0) });

export const okType: JobType<typeof keyed, typeof runResult> = {
  type: 'test.ok',
  title: 'Test: succeeds',
  params: keyed,
  result: runResult,
  async run(ctx, params, _signal, progress) {
    const run = count(params.key);
    ctx.log('info', `run ${run} of ${params.key}`);
    progress({ done: 1, total: 1, message: 'done' });
    return { run };
  },
  async preview(params) {
    return { wouldRun: params.key };
  },
};

const releases = new Map<string, () => void>();
/** Lets a waiting run of `key` finish successfully. */
export function release(key: string): void {
  releases.get(key)?.();
}

export const waitType: JobType<typeof keyed, typeof releasedResult> = {
  type: 'test.wait',
  title: 'Test: waits until aborted',
  params: keyed,
  result: releasedResult,
  run(_ctx, params, signal) {
    count(params.key);
    return new Promise<{ released: boolean }>((resolve, reject) => {
      releases.set(params.key, () => resolve({ released: true }));
      signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true });
    });
  },
};

export const flakyType: JobType<typeof flakyParams, typeof runResult> = {
  type: 'test.flaky',
  title: 'Test: fails first',
  params: flakyParams,
  result: runResult,
  async run(_ctx, params) {
    const run = count(params.key);
    if (run <= params.failures) throw new Error(`failure ${run} of ${params.key}`);
    return { run };
  },
};

const previousParams = z.strictObject({ key: z.string(), pad: z.number().int().min(0).default(0) });
const previousResult = z.strictObject({ run: z.number().int(), pad: z.string(), previous: z.unknown() });

/** Returns the `previousResult` it was given (and `pad` characters, to make its result big). */
export const previousType: JobType<typeof previousParams, typeof previousResult> = {
  type: 'test.previous',
  title: 'Test: echoes the previous result',
  params: previousParams,
  result: previousResult,
  async run(ctx, params) {
    return { run: count(params.key), pad: 'x'.repeat(params.pad), previous: ctx.previousResult };
  },
};

export const testJobTypes: JobType[] = [okType, waitType, flakyType, previousType];
