/** How jobs read on screen: schedules in words, run times in the job's zone, statuses, rates. */
import cronstrue from 'cronstrue';
import type { Job, JobExecution, JobStatus, JobTrigger } from '../../../src-main/contract';

export const jobStatusLabels: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export const jobTriggerLabels: Record<JobTrigger, string> = {
  schedule: 'Schedule',
  manual: 'Run now',
  'catch-up': 'Catch-up',
  retry: 'Retry',
};

/** The schedule presets of the create dialog. */
export const schedulePresets = [
  { label: 'Hourly', schedule: '0 * * * *' },
  { label: 'Nightly', schedule: '0 2 * * *' },
  { label: 'Weekly', schedule: '0 2 * * 1' },
] as const;

/** `0 2 * * *` → "At 02:00 AM"; null when cronstrue cannot read it (the core's preview says why). */
export function scheduleInWords(schedule: string): string | null {
  try {
    return cronstrue.toString(schedule, { verbose: false, use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    return null;
  }
}

/** The person's own zone, the default for a new job. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Whether the browser knows the zone (the core checks it again, with its own zone database). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An instant as the job's zone reads it: "Tue, Mar 10, 02:00". */
export function formatInZone(iso: string, timeZone: string): string {
  const date = new Date(iso);
  const options: Intl.DateTimeFormatOptions = { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  try {
    return date.toLocaleString(undefined, { ...options, timeZone });
  } catch {
    return date.toLocaleString(undefined, options);
  }
}

/** An instant in the viewer's own zone (execution history). */
export function formatLocal(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
}

/** 850 → "0.9 s", 125000 → "2 min 5 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * Succeeded runs among those that ended as a success or a failure (skipped, cancelled and
 * still-running ones say nothing about the job's health); null before any did.
 */
export function successRate(executions: readonly JobExecution[]): { rate: number; of: number } | null {
  const decided = executions.filter((e) => e.status === 'succeeded' || e.status === 'failed' || e.status === 'interrupted');
  if (decided.length === 0) return null;
  return { rate: decided.filter((e) => e.status === 'succeeded').length / decided.length, of: decided.length };
}

export const isUnfinished = (e: JobExecution) => e.status === 'queued' || e.status === 'running';

/** The job's runner as people read it: the replica id is all a teammate's replica knows of that device. */
export function runnerDevice(runner: string): string {
  return `the device of replica ${runner.slice(0, 8)}`;
}

/** A Run now sent from this device to the runner (`jobs.runNow` answered `requested`), and the job's last run when it was sent. */
export interface SentRunRequest {
  id: string;
  runner: string;
  lastRunAtBefore: string | null;
}

/**
 * How far the runner got with a request, from the job's fields it writes back: not seen yet
 * (`waiting`), started and not ended (`running`), recorded skipped because a run was going, or
 * ended (the summary's new last run, with its status).
 */
export function runRequestProgress(
  job: Pick<Job, 'lastRunRequest' | 'lastRunAt' | 'lastStatus'>,
  sent: SentRunRequest,
): { state: 'waiting' | 'running' | 'skipped' } | { state: 'ended'; status: JobStatus } {
  if (job.lastRunRequest?.id !== sent.id) return { state: 'waiting' };
  if (job.lastRunRequest.outcome === 'skipped') return { state: 'skipped' };
  if (job.lastRunAt !== sent.lastRunAtBefore && job.lastStatus && job.lastStatus !== 'queued' && job.lastStatus !== 'running') {
    return { state: 'ended', status: job.lastStatus };
  }
  return { state: 'running' };
}
