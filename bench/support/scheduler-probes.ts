/**
 * What the scheduler bench plugs into a real core through its ports (`createCore({ jobTypes,
 * timers })`): a job type that does nothing but note when it started, and a Timers port around
 * node-schedule that notes when the scheduler arms each timer and how late each one fires — so the
 * timer's own lateness can be told apart from the scheduler's bookkeeping before a run starts.
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { JobType } from '../../src-main/core/jobs/job-type';
import type { Timers } from '../../src-main/core/jobs/timers';

export const noopTypeName = 'bench.noop';

/**
 * Wall-clock time in ms with sub-millisecond precision (planned run times are wall-clock dates):
 * the monotonic clock plus its offset to the wall clock. The offset is measured at the edge of a
 * millisecond and again by `resyncWallClock()` before each firing, because the machine's clock is
 * adjusted while a bench runs (seen here: 75 ms in 12 s), which `performance.timeOrigin` never follows.
 */
let wallOffset = 0;
export function resyncWallClock(): void {
  const start = Date.now();
  let edge = Date.now();
  while (edge === start) edge = Date.now(); // bounded: the next millisecond
  wallOffset = edge - performance.now();
}
resyncWallClock();
export const wallNow = () => wallOffset + performance.now();

const nothing = z.strictObject({});

/** A job type that returns at once; `onRun` hears which job started and when. */
export function noopJobType(onRun: (jobId: string, at: number) => void = () => {}): JobType<typeof nothing, typeof nothing> {
  return {
    type: noopTypeName,
    title: 'Bench: does nothing',
    params: nothing,
    result: nothing,
    async run(ctx) {
      onRun(ctx.jobId, wallNow());
      return {};
    },
  };
}

export interface RecordingTimers extends Timers {
  /** Timers armed so far, and when the last one was armed (performance.now()). */
  readonly armed: number;
  readonly lastArmedAt: number;
  /** Each timer's callback: the date it was armed for (ms) and how late it ran after it. */
  readonly fired: { date: number; lateMs: number }[];
}

export function recordingTimers(inner: Timers): RecordingTimers {
  let armed = 0;
  let lastArmedAt = 0;
  const fired: { date: number; lateMs: number }[] = [];
  return {
    get armed() {
      return armed;
    },
    get lastArmedAt() {
      return lastArmedAt;
    },
    fired,
    at(date, fire) {
      armed++;
      lastArmedAt = performance.now();
      return inner.at(date, () => {
        fired.push({ date: date.getTime(), lateMs: wallNow() - date.getTime() });
        fire();
      });
    },
  };
}

/** Timers that never fire: a core seeding job definitions runs none of them. */
export const inertTimers: Timers = { at: () => ({ cancel() {} }) };
