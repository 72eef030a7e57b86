/**
 * When the scheduler's timers fire: a port, so tests drive time by hand. Production uses
 * node-schedule (the stack's scheduler) — but only to fire ONE date at a time: each next run is
 * computed by cron-parser in the job's zone (cron-schedule.ts), because node-schedule's own cron
 * handling can skip or double a run at DST changes and fires bursts of missed runs after sleep.
 */
import schedule from 'node-schedule';

export interface TimerHandle {
  cancel(): void;
}

export interface Timers {
  /** Calls `fire` once at `date` (at once if it is past); `cancel` stops it. */
  at(date: Date, fire: () => void): TimerHandle;
}

export function nodeScheduleTimers(): Timers {
  return {
    at(date, fire) {
      // node-schedule ignores a date in the past (returns null, never fires): such a timer fires
      // on the next turn instead — also when the date passes between this check and its own.
      const job = date.getTime() > Date.now() ? schedule.scheduleJob(date, fire) : null;
      if (!job) {
        const immediate = setImmediate(fire);
        return { cancel: () => clearImmediate(immediate) };
      }
      return { cancel: () => job.cancel() };
    },
  };
}
