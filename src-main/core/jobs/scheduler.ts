/**
 * The scheduler: arms, runs and records the jobs THIS replica runs (the job's `runner`); every
 * other replica only shows them. See README.md here for the semantics (one execution at a time,
 * timeout, retries, cancel, catch-up, DST, interrupted runs, alerts).
 *
 * Time comes from two ports: the clock and `Timers` (node-schedule in production, a hand-moved
 * fake in tests). Each job has at most one timer, armed for its next run time as cron-parser
 * computes it in the job's zone, and re-armed after it fires — never a list of dates, so a
 * machine that slept through many run times sees one timer, not a burst.
 */
import { mkdir, rm } from 'node:fs/promises';
import { uuidv7 } from 'uuidv7';
import type { Job, JobEvent, JobExecution, JobLogEntry, JobTrigger } from '../../contract';
import { ApiError } from '../../contract';
import type { CoreContext } from '../context';
import { nextRunAfter } from './cron-schedule';
import { executionFilesDir } from './execution-files';
import * as executions from './executions.repo';
import { setJobFields, type JobDocFields } from './job-doc';
import type { JobLogLevel, JobProgress, JobRunContext } from './job-type';
import type { JobTypes } from './job-types';
import { findJob, jobsRunBy } from './jobs.repo';
import type { TimerHandle, Timers } from './timers';

/** A timer that fires later than this after its time was slept through: the run counts as missed. */
const lateAfterMs = 60_000;
/** Progress is stored and pushed at most this often per execution (a type may report per row). */
const progressEveryMs = 250;
const maxRetryDelayMs = 24 * 3600_000;

export interface Retention {
  executionsPerJob: number;
  logDays: number;
}
export const defaultRetention: Retention = { executionsPerJob: 200, logDays: 30 };
/** Local setting (never synced) overriding the retention. */
export const retentionKey = 'jobs-retention';

export interface SchedulerOptions {
  types: JobTypes;
  timers: Timers;
  clock(): Date;
  /** This replica's id (the `runner` of the jobs it runs). */
  replica: string;
  /** Where executions keep files (`<dataDir>/jobs/<executionId>`); null in memory-only cores. */
  dataDir: string | null;
  fetch: typeof fetch;
  emit(event: JobEvent): void;
  /** Jitter source for retry back-off (0 ≤ x < 1). */
  random?(): number;
}

/** Why a run was aborted: the type sees `signal.reason`. */
class StopReason extends Error {
  constructor(
    readonly kind: 'cancel' | 'timeout' | 'closing',
    message: string,
  ) {
    super(message);
  }
}

interface Running {
  executionId: string;
  controller: AbortController;
  /** Settles when the execution's row is final. */
  done: Promise<void>;
}

const jobOrigin = (jobId: string) => ({ kind: 'job' as const, jobId });

/** The delay before retry number `failedAttempt` (1: after the first attempt): doubling, with equal jitter. */
export function retryDelayMs(backoffSeconds: number, failedAttempt: number, random: () => number): number {
  const full = Math.min(maxRetryDelayMs, backoffSeconds * 1000 * 2 ** (failedAttempt - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}

export class Scheduler {
  private readonly armed = new Map<string, { at: Date; handle: TimerHandle }>();
  private readonly retries = new Map<string, TimerHandle>();
  private readonly running = new Map<string, Running>();
  /** Bookkeeping in flight (not the types' own work): what `settled()` waits for. */
  private readonly busy = new Set<Promise<unknown>>();
  private serialTail: Promise<unknown> = Promise.resolve();
  private readonly detach: (() => void)[] = [];
  private closed = false;
  private readonly random: () => number;

  constructor(
    private readonly ctx: CoreContext,
    private readonly options: SchedulerOptions,
  ) {
    this.random = options.random ?? Math.random;
  }

  private get db() {
    return this.ctx.db;
  }
  private nowIso(): string {
    return this.options.clock().toISOString();
  }

  /** Marks what a stopped process left running as interrupted (retrying it), then arms every job this replica runs. */
  async start(): Promise<void> {
    const interrupted = await executions.interruptUnfinished(this.db, this.nowIso());
    for (const execution of interrupted) this.options.emit({ workspaceId: execution.workspaceId, jobId: execution.jobId, execution });
    // Per job, only its latest interrupted execution decides about a retry.
    const latest = new Map<string, JobExecution>();
    for (const e of interrupted) if (!latest.has(e.jobId) || latest.get(e.jobId)!.queuedAt < e.queuedAt) latest.set(e.jobId, e);
    for (const e of latest.values()) await this.track(this.afterRun(e.jobId, e));
    this.detach.push(
      this.ctx.onChange((event) => {
        if (event.entity === 'job') for (const id of event.ids) void this.reconcile(id, 'change');
      }),
    );
    this.detach.push(this.ctx.main.on('power.resumed', () => void this.reconcileAll('resume')));
    void this.ctx.main.api.events.subscribe({ event: 'power.resumed' }).catch((err: unknown) => this.ctx.logger.warn({ err }, 'jobs: could not subscribe to power events'));
    await this.reconcileAll('start');
  }

  /** Resolves once no bookkeeping is in flight (tests: after moving the fake clock). Bounded. */
  async settled(): Promise<void> {
    for (let round = 0; round < 1000; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.busy.size === 0) return;
      await Promise.allSettled([...this.busy]);
    }
    throw new Error('jobs: the scheduler did not settle');
  }

  isRunning(jobId: string): boolean {
    return this.running.has(jobId);
  }

  /** Stops timers and running types. A run stopped by closing keeps its row `running`: the next start marks it interrupted. */
  async close(): Promise<void> {
    this.closed = true;
    this.detach.splice(0).forEach((off) => off());
    for (const { handle } of this.armed.values()) handle.cancel();
    for (const handle of this.retries.values()) handle.cancel();
    this.armed.clear();
    this.retries.clear();
    for (const run of this.running.values()) run.controller.abort(new StopReason('closing', 'Groundwork is closing'));
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await this.serialTail.catch(() => undefined);
    await Promise.allSettled([...this.busy]);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.busy.add(work);
    const drop = () => this.busy.delete(work);
    work.then(drop, drop);
    return work;
  }

  /** Decisions about timers run one at a time, so a change event and a firing timer never both arm. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.serialTail.then(work, work);
    this.serialTail = run.catch(() => undefined);
    return this.track(run);
  }

  private async reconcileAll(reason: 'start' | 'resume'): Promise<void> {
    if (this.closed) return;
    const jobs = await jobsRunBy(this.db, this.options.replica);
    const ids = new Set([...jobs.map((j) => j.id), ...this.armed.keys()]);
    await Promise.all([...ids].map((id) => this.reconcile(id, reason)));
  }

  private reconcile(jobId: string, reason: 'start' | 'resume' | 'change' | 'fire', due?: Date): Promise<void> {
    return this.serial(async () => {
      if (this.closed) return;
      try {
        await this.reconcileNow(jobId, reason, due);
      } catch (err) {
        this.ctx.logger.error({ err, jobId }, 'jobs: could not schedule a job');
      }
    });
  }

  /**
   * Makes this replica's timer for the job match the job: none unless it runs here and is enabled;
   * otherwise one for its next run. A run time that passed unrun (the app closed, the machine
   * asleep) is missed: one catch-up run for `run-once`, nothing for `skip`, never more than one.
   */
  private async reconcileNow(jobId: string, reason: 'start' | 'resume' | 'change' | 'fire', firedFor?: Date): Promise<void> {
    const job = await findJob(this.db, this.options.replica, jobId);
    if (!job || !job.runsHere) {
      this.disarm(jobId);
      this.retries.get(jobId)?.cancel();
      this.retries.delete(jobId);
      return;
    }
    if (!job.enabled || !this.options.types.has(job.type)) {
      this.disarm(jobId);
      if (!job.enabled) {
        this.retries.get(jobId)?.cancel();
        this.retries.delete(jobId);
      }
      return;
    }
    const now = this.options.clock();
    const due = job.nextRunAt ? new Date(job.nextRunAt) : null;
    let next: Date;
    if (due && due.getTime() <= now.getTime()) {
      const armed = this.armed.get(jobId);
      const onTime = now.getTime() - due.getTime() <= lateAfterMs;
      if (reason !== 'fire' && onTime && armed?.at.getTime() === due.getTime()) return; // its timer is about to fire
      if (reason === 'fire' && firedFor?.getTime() === due.getTime() && onTime) await this.startRun(job, 'schedule');
      else if (job.catchUp === 'run-once') await this.startRun(job, 'catch-up');
      else this.ctx.logger.info({ jobId, due: due.toISOString() }, 'jobs: a missed run is skipped (catch-up: skip)');
      next = nextRunAfter(job.schedule, job.timezone, now, due);
    } else {
      next = due ?? nextRunAfter(job.schedule, job.timezone, now, job.lastRunAt ? new Date(job.lastRunAt) : null);
    }
    this.arm(jobId, next);
    if (job.nextRunAt !== next.toISOString()) await this.writeSummary(job, { nextRunAt: next.toISOString() });
  }

  private arm(jobId: string, at: Date): void {
    const current = this.armed.get(jobId);
    if (current?.at.getTime() === at.getTime()) return;
    current?.handle.cancel();
    const handle = this.options.timers.at(at, () => {
      if (this.armed.get(jobId)?.handle !== handle) return;
      this.armed.delete(jobId);
      void this.reconcile(jobId, 'fire', at);
    });
    this.armed.set(jobId, { at, handle });
  }

  private disarm(jobId: string): void {
    this.armed.get(jobId)?.handle.cancel();
    this.armed.delete(jobId);
  }

  /**
   * Queues a run of `job` here and starts it; resolves with the queued execution. A run while
   * another of the job is going is recorded `skipped` instead (one execution at a time per job).
   */
  async startRun(job: Job, trigger: JobTrigger, attempt = 1): Promise<JobExecution> {
    if (this.closed) throw new ApiError('UNAVAILABLE', 'Groundwork is closing.');
    const id = uuidv7();
    const base = { id, jobId: job.id, workspaceId: job.workspaceId, trigger, attempt, at: this.nowIso() };
    const current = this.running.get(job.id);
    if (current) {
      const skipped = await this.track(
        executions.insertExecution(this.db, { ...base, status: 'skipped', error: 'The previous run of this job was still going.' }),
      );
      this.options.emit({ workspaceId: job.workspaceId, jobId: job.id, execution: skipped });
      return skipped;
    }
    const controller = new AbortController();
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    // Taken before the first await, so two triggers at once cannot both start.
    this.running.set(job.id, { executionId: id, controller, done });
    let queued: JobExecution;
    try {
      queued = await this.track(executions.insertExecution(this.db, { ...base, status: 'queued' }));
    } catch (error) {
      this.running.delete(job.id);
      finish();
      throw error;
    }
    this.options.emit({ workspaceId: job.workspaceId, jobId: job.id, execution: queued });
    void this.execute(job, queued, controller).finally(() => {
      this.running.delete(job.id);
      finish();
    });
    return queued;
  }

  /** Stops a queued or running execution of this replica: it ends `cancelled`, with no retry. */
  async cancel(executionId: string): Promise<JobExecution> {
    const execution = await executions.getExecution(this.db, executionId, 'executionId');
    const run = this.running.get(execution.jobId);
    if (!run || run.executionId !== executionId) {
      throw new ApiError('CONFLICT', `executionId: that execution is not running (it is ${execution.status})`, { field: 'executionId' });
    }
    this.retries.get(execution.jobId)?.cancel();
    this.retries.delete(execution.jobId);
    run.controller.abort(new StopReason('cancel', 'Cancelled'));
    await run.done;
    return executions.getExecution(this.db, executionId);
  }

  private async execute(job: Job, queued: JobExecution, controller: AbortController): Promise<void> {
    const { signal } = controller;
    const log = new LogBuffer((entries) => this.track(executions.appendLog(this.db, queued.id, entries)));
    let progressAt = 0;
    let unsavedProgress: JobProgress | null = null;
    const saveProgress = (p: JobProgress) => {
      unsavedProgress = null;
      progressAt = Date.now();
      void this.track(
        executions.saveProgress(this.db, queued.id, { done: p.done, total: p.total, message: p.message ?? null }).then((execution) => {
          if (execution) this.options.emit({ workspaceId: job.workspaceId, jobId: job.id, execution });
        }),
      ).catch((err: unknown) => this.ctx.logger.warn({ err }, 'jobs: could not save progress'));
    };
    let timeout: TimerHandle | null = null;
    let outcome: { status: 'succeeded' | 'failed' | 'cancelled'; error?: string; result?: unknown };
    try {
      const started = await this.track(executions.markStarted(this.db, queued.id, this.nowIso()));
      this.options.emit({ workspaceId: job.workspaceId, jobId: job.id, execution: started });
      const type = this.options.types.get(job.type);
      const params = type.params.parse(job.params);
      timeout = this.options.timers.at(new Date(this.options.clock().getTime() + job.timeoutSeconds * 1000), () =>
        controller.abort(new StopReason('timeout', `Timed out after ${formatSeconds(job.timeoutSeconds)} (the job's timeout)`)),
      );
      const runContext: JobRunContext = {
        jobId: job.id,
        executionId: queued.id,
        workspaceId: job.workspaceId,
        projectId: job.projectId,
        db: this.db,
        filesDir: async () => {
          if (!this.options.dataDir) return null;
          const dir = executionFilesDir(this.options.dataDir, queued.id);
          await mkdir(dir, { recursive: true });
          return dir;
        },
        now: () => this.options.clock(),
        fetch: this.options.fetch,
        main: this.ctx.main,
        log: (level, message) => log.add({ at: this.nowIso(), level: level as JobLogLevel, message: String(message).slice(0, 10_000) }),
        previousResult: await this.track(executions.previousResult(this.db, job.id)),
      };
      const progress = (p: JobProgress) => {
        if (signal.aborted) return;
        if (Date.now() - progressAt >= progressEveryMs) saveProgress(p);
        else unsavedProgress = p;
      };
      // The run ends when the type returns or when it is stopped, whichever comes first: a type
      // slow to notice the abort cannot hold the job's slot (its late result is ignored).
      const stopped = new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      const value = await Promise.race([type.run(runContext, params, signal, progress), stopped]);
      const checked = type.result.safeParse(value);
      outcome = checked.success
        ? { status: 'succeeded', result: checked.data }
        : { status: 'failed', error: `The job returned a result its type refuses: ${checked.error.issues[0]?.message ?? 'invalid'}` };
    } catch (error) {
      const reason = signal.aborted ? signal.reason : null;
      if (reason instanceof StopReason && reason.kind === 'closing') {
        // The process is going away: the row stays `running` and becomes `interrupted` at the next start.
        await log.flush().catch(() => undefined);
        return;
      }
      if (reason instanceof StopReason && reason.kind === 'cancel') outcome = { status: 'cancelled', error: 'Cancelled' };
      else if (reason instanceof StopReason) outcome = { status: 'failed', error: reason.message };
      else outcome = { status: 'failed', error: errorText(error) };
    } finally {
      timeout?.cancel();
    }
    if (outcome.error && outcome.status === 'failed') log.add({ at: this.nowIso(), level: 'error', message: outcome.error });
    const last = unsavedProgress as JobProgress | null;
    if (last) saveProgress(last);
    await log.flush().catch((err: unknown) => this.ctx.logger.warn({ err }, 'jobs: could not write a log'));
    const finished = await this.track(executions.markFinished(this.db, queued.id, { ...outcome, at: this.nowIso() }));
    this.options.emit({ workspaceId: job.workspaceId, jobId: job.id, execution: finished });
    await this.track(this.afterRun(job.id, finished));
  }

  /**
   * After an execution ended: a retry if it failed (or was interrupted) and attempts remain, the
   * summary in the doc, an alert once per failure streak and once on recovery, and retention.
   */
  private async afterRun(jobId: string, execution: JobExecution): Promise<void> {
    try {
      const job = await findJob(this.db, this.options.replica, jobId);
      if (!job || !job.runsHere) return;
      const failed = execution.status === 'failed' || execution.status === 'interrupted';
      const summary: Partial<JobDocFields> = { lastRunAt: execution.startedAt ?? execution.finishedAt ?? execution.queuedAt, lastStatus: execution.status };
      let alert: JobEvent['alert'];
      if (failed && execution.attempt < job.retry.maxAttempts && job.enabled && !this.closed) {
        const delay = retryDelayMs(job.retry.backoffSeconds, execution.attempt, this.random);
        this.retries.get(jobId)?.cancel();
        const handle = this.options.timers.at(new Date(this.options.clock().getTime() + delay), () => {
          if (this.retries.get(jobId) !== handle) return;
          this.retries.delete(jobId);
          void this.track(this.retry(jobId, execution.attempt + 1));
        });
        this.retries.set(jobId, handle);
      } else if (failed) {
        summary.consecutiveFailures = job.consecutiveFailures + 1;
        if (job.consecutiveFailures === 0) alert = 'failed';
      } else if (execution.status === 'succeeded') {
        summary.consecutiveFailures = 0;
        if (job.consecutiveFailures > 0) alert = 'recovered';
      }
      await this.writeSummary(job, summary);
      if (alert) await this.raise(job, execution, alert);
      await this.prune(jobId);
    } catch (err) {
      this.ctx.logger.error({ err, jobId }, 'jobs: could not record the end of a run');
    }
  }

  private async retry(jobId: string, attempt: number): Promise<void> {
    if (this.closed) return;
    const job = await findJob(this.db, this.options.replica, jobId);
    if (!job || !job.runsHere || !job.enabled) return;
    await this.startRun(job, 'retry', attempt);
  }

  private async raise(job: Job, execution: JobExecution, alert: 'failed' | 'recovered'): Promise<void> {
    const notification =
      alert === 'failed'
        ? { title: `Job failed: ${job.name}`.slice(0, 200), body: (execution.error ?? 'It failed.').slice(0, 2000) }
        : { title: `Job recovered: ${job.name}`.slice(0, 200), body: `It succeeded again after ${job.consecutiveFailures} failed run${job.consecutiveFailures === 1 ? '' : 's'}.` };
    this.options.emit({ workspaceId: job.workspaceId, jobId: job.id, execution, alert });
    await this.ctx.main.api.notify.show(notification).catch((err: unknown) => this.ctx.logger.warn({ err }, 'jobs: could not show a notification'));
  }

  /** The runner's summary, written into the doc so teammates see it (as the job, in the workspace's mutation queue). */
  private async writeSummary(job: Job, fields: Partial<JobDocFields>): Promise<void> {
    try {
      await this.ctx.mutate(job.workspaceId, () => setJobFields(this.ctx, job.workspaceId, job.id, jobOrigin(job.id), fields));
    } catch (err) {
      this.ctx.logger.warn({ err, jobId: job.id }, 'jobs: could not write the summary of a job');
    }
  }

  private async prune(jobId: string): Promise<void> {
    const stored = await this.ctx.settings.get<Partial<Retention>>(retentionKey);
    const retention = { ...defaultRetention, ...(stored ?? {}) };
    const logsBefore = new Date(this.options.clock().getTime() - retention.logDays * 86_400_000).toISOString();
    const dropped = await executions.prune(this.db, jobId, retention.executionsPerJob, logsBefore);
    if (this.options.dataDir) {
      for (const id of dropped) await rm(executionFilesDir(this.options.dataDir, id), { recursive: true, force: true });
    }
  }
}

/** Log lines of one execution, written in batches (a type may log per row). */
class LogBuffer {
  private entries: JobLogEntry[] = [];
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;

  constructor(private readonly write: (entries: JobLogEntry[]) => Promise<void>) {}

  add(entry: JobLogEntry): void {
    this.entries.push(entry);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush().catch(() => undefined));
    }
  }

  flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.entries.splice(0);
    if (batch.length > 0) this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text || 'The job failed without saying why').slice(0, 10_000);
}

function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
