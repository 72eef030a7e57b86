/**
 * The scheduler: arms, runs and records the jobs THIS replica runs (the job's `runner`); every
 * other replica only shows them. See README.md here for the semantics (one execution at a time,
 * timeout, retries, cancel, catch-up, DST, interrupted runs, alerts).
 *
 * Time comes from two ports: the clock and `Timers` (node-schedule in production, a hand-moved
 * fake in tests). Each job waits for ONE date at a time, its next run as cron-parser computes it
 * in the job's zone, re-planned after it fires — never a list of dates, so a machine that slept
 * through many run times sees one firing, not a burst.
 *
 * Jobs due at the same date share one timer (timer-groups.ts) and start together: their rows are
 * read in one query, their executions inserted in one statement and started in another, and each
 * type's `run` is called as soon as that is done, without waiting for the others' bookkeeping.
 * What follows a run is batched per turn of the event loop (tick-batch.ts): the executions that
 * ended are written in one statement, the summaries in the doc (next run, last run and status,
 * failures) in one doc transaction per workspace, retention in one transaction in the background.
 * At start the rows read once arm every job before `createCore` resolves; the writes that start
 * needs (catch-up runs, next run times, retries of interrupted runs) follow in the same batches.
 */
import { mkdir, rm } from 'node:fs/promises';
import { uuidv7 } from 'uuidv7';
import type { Job, JobEvent, JobExecution, JobLogEntry, JobTrigger } from '../../contract';
import { ApiError } from '../../contract';
import type { CoreContext } from '../context';
import { storableJson } from '../sync/column-values';
import { nextRunMemo } from './cron-schedule';
import { executionFilesDir } from './execution-files';
import * as executions from './executions.repo';
import { writeJobs, type JobDocEntry, type JobDocFields } from './job-doc';
import type { JobLogLevel, JobProgress, JobRunContext } from './job-type';
import type { JobTypes } from './job-types';
import { findJob, findJobs, jobsRunBy, runRequestOf, servedRunRequestOf } from './jobs.repo';
import { TickBatch } from './tick-batch';
import { TimerGroups } from './timer-groups';
import type { Timers } from './timers';

/** A timer that fires later than this after its time was slept through: the run counts as missed. */
const lateAfterMs = 60_000;
/** Progress is stored and pushed at most this often per execution (a type may report per row). */
const progressEveryMs = 250;
const maxRetryDelayMs = 24 * 3600_000;
/** A job's last result is kept in memory for its next run when its JSON is at most this long. */
const rememberedResultChars = 16_384;

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
  timeoutSeconds: number;
  /** Settles when the execution's row is final. */
  done: Promise<void>;
}

/** A run to start: what `startRuns` takes, several at once. */
interface RunRequest {
  job: Job;
  trigger: JobTrigger;
  attempt: number;
}

/** A run whose slot is taken and whose row is inserted, on its way to the type's `run`. */
interface Starting {
  job: Job;
  executionId: string;
  controller: AbortController;
  /** Settles the slot's `done`. */
  finish(): void;
  /** When its timeout aborts it: runs started together with one timeout share the date (one timer). */
  deadline: Date;
}

type Reason = 'start' | 'resume' | 'change' | 'fire';

/**
 * What a planning pass decided: runs to start, and the jobs to arm for their next run (`after`:
 * the run time that just passed, if one did) — armed after the runs are called (`arm`).
 */
interface Plan {
  runs: RunRequest[];
  toArm: { job: Job; after: Date | null }[];
  /** Jobs with a run request (Run now from another device) not yet served. */
  requested: Job[];
  now: Date;
}

type NextRunAt = { jobId: string; workspaceId: string; at: string };

/** A job's state that decides what follows a run (read from the doc inside the summary's write). */
interface EndState {
  name: string;
  enabled: boolean;
  maxAttempts: number;
  backoffSeconds: number;
  consecutiveFailures: number;
}

interface EndDecision {
  retryAfterMs?: number;
  consecutiveFailures?: number;
  alert?: 'failed' | 'recovered';
}

interface SummaryEdit {
  jobId: string;
  edit(entry: JobDocEntry | null): void;
}

/** The delay before retry number `failedAttempt` (1: after the first attempt): doubling, with equal jitter. */
export function retryDelayMs(backoffSeconds: number, failedAttempt: number, random: () => number): number {
  const full = Math.min(maxRetryDelayMs, backoffSeconds * 1000 * 2 ** (failedAttempt - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}

export class Scheduler {
  /** Job id → its next run time; one timer per distinct time. */
  private readonly due: TimerGroups;
  /**
   * The rows of the jobs waiting in `due`, as last read (and planned): a firing starts its runs
   * from these without reading them again. Every change to a job comes as a change event, which
   * re-reads it; a job named by one not yet reconciled is read afresh when it fires.
   */
  private readonly rows = new Map<string, Job>();
  /**
   * Each job's last succeeded result as JSON ('null': none yet), for its next run's
   * `previousResult`, so a firing need not read it first. Only small ones are kept; a job
   * missing here is read.
   */
  private readonly lastResults = new Map<string, string>();
  /** Job id → when its retry comes (the attempt it will be: `retryAttempt`). */
  private readonly retries: TimerGroups;
  private readonly retryAttempt = new Map<string, number>();
  /** Job id of a running execution → its deadline. */
  private readonly timeouts: TimerGroups;
  private readonly running = new Map<string, Running>();
  /** Job id → the run request this process served last (the projection may not show it yet). */
  private readonly servedRequests = new Map<string, string>();
  /** Bookkeeping in flight (not the types' own work): what `settled()` waits for. */
  private readonly busy = new Set<Promise<unknown>>();
  private serialTail: Promise<unknown> = Promise.resolve();
  /** Jobs named by change events not yet reconciled (one pass reads them all). */
  private readonly changed = new Set<string>();
  private readonly summaries = new Map<string, TickBatch<SummaryEdit, boolean>>();
  private readonly finishes: TickBatch<executions.Outcome, JobExecution | null>;
  private readonly prunes: TickBatch<string, void>;
  private readonly detach: (() => void)[] = [];
  private closed = false;
  private readonly random: () => number;

  constructor(
    private readonly ctx: CoreContext,
    private readonly options: SchedulerOptions,
  ) {
    this.random = options.random ?? Math.random;
    this.due = new TimerGroups(options.timers, (at, jobIds) => void this.fire(at, jobIds));
    this.retries = new TimerGroups(options.timers, (_at, jobIds) => void this.retry(jobIds));
    this.timeouts = new TimerGroups(options.timers, (_at, jobIds) => {
      for (const jobId of jobIds) {
        const run = this.running.get(jobId);
        run?.controller.abort(new StopReason('timeout', `Timed out after ${formatSeconds(run.timeoutSeconds)} (the job's timeout)`));
      }
    });
    this.finishes = new TickBatch((outcomes) => executions.markFinished(this.db, outcomes));
    this.prunes = new TickBatch(async (jobIds) => {
      await this.prune([...new Set(jobIds)]);
      return jobIds.map(() => undefined);
    });
  }

  private get db() {
    return this.ctx.db;
  }
  private nowIso(): string {
    return this.options.clock().toISOString();
  }

  /**
   * Marks what a stopped process left running as interrupted (retrying it), and arms every job
   * this replica runs from one read of their rows. The writes this needs (catch-up runs, next run
   * times, retries) go on in batches after it resolves; `settled()` waits for them.
   */
  async start(): Promise<void> {
    const interrupted = await executions.interruptUnfinished(this.db, this.nowIso());
    const jobs = await jobsRunBy(this.db, this.options.replica);
    for (const execution of interrupted) this.options.emit({ workspaceId: execution.workspaceId, jobId: execution.jobId, execution });
    // Per job, only its latest interrupted execution decides about a retry.
    const latest = new Map<string, JobExecution>();
    for (const e of interrupted) if (!latest.has(e.jobId) || latest.get(e.jobId)!.queuedAt < e.queuedAt) latest.set(e.jobId, e);
    for (const e of latest.values()) void this.track(this.afterRun(e));
    // Nothing else is queued yet: planning here, before any listener, arms every job at once.
    const plan = this.plan(new Map(jobs.map((j) => [j.id, j])), jobs.map((j) => j.id), 'start');
    const nextRunAt = this.arm(plan);
    // After createCore resolves: the armed jobs' last results, so their first firing reads nothing.
    void this.serial(async () => {
      await this.carryOut(plan, nextRunAt);
      await this.lastResultsOf([...this.due.keys()]).catch((err: unknown) => this.ctx.logger.warn({ err }, 'jobs: could not read last results'));
    });
    this.detach.push(
      this.ctx.onChange((event) => {
        if (event.entity === 'job') this.jobsChanged(event.ids);
      }),
    );
    this.detach.push(this.ctx.main.on('power.resumed', () => void this.reconcileAll()));
    void this.ctx.main.api.events.subscribe({ event: 'power.resumed' }).catch((err: unknown) => this.ctx.logger.warn({ err }, 'jobs: could not subscribe to power events'));
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
    this.due.clear();
    this.rows.clear();
    this.lastResults.clear();
    this.retries.clear();
    this.retryAttempt.clear();
    this.servedRequests.clear();
    this.timeouts.clear();
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

  /** Change events name jobs; those named before a pass begins are read together in it. */
  private jobsChanged(ids: string[]): void {
    const first = this.changed.size === 0;
    for (const id of ids) this.changed.add(id);
    if (!first) return;
    void this.serial(async () => {
      const batch = [...this.changed];
      this.changed.clear();
      await this.reconcileNow(batch, 'change');
    });
  }

  /** After sleep: every job this replica runs (and every one it had armed) is planned again. */
  private reconcileAll(): Promise<void> {
    return this.serial(async () => {
      if (this.closed) return;
      try {
        const jobs = await jobsRunBy(this.db, this.options.replica);
        const byId = new Map(jobs.map((j) => [j.id, j]));
        await this.carryOut(this.plan(byId, new Set([...byId.keys(), ...this.due.keys()]), 'resume'));
      } catch (err) {
        this.ctx.logger.error({ err }, 'jobs: could not schedule the jobs');
      }
    });
  }

  /** The jobs due at `at` (one timer): planned from the rows they were armed with, no query. */
  private fire(at: Date, jobIds: string[]): Promise<void> {
    return this.serial(async () => {
      if (this.closed) return;
      try {
        const stale = jobIds.filter((id) => !this.rows.has(id) || this.changed.has(id));
        const fresh = stale.length > 0 ? await findJobs(this.db, this.options.replica, stale) : new Map<string, Job>();
        const staleIds = new Set(stale);
        const jobs = new Map<string, Job>();
        for (const id of jobIds) {
          const job = staleIds.has(id) ? fresh.get(id) : this.rows.get(id);
          if (job) jobs.set(id, job);
        }
        await this.carryOut(this.plan(jobs, jobIds, 'fire', at));
      } catch (err) {
        this.ctx.logger.error({ err, jobs: jobIds.length }, 'jobs: could not start the jobs due');
      }
    });
  }

  /** Reads the jobs in one query and plans them (inside `serial`). */
  private async reconcileNow(jobIds: string[], reason: Reason): Promise<void> {
    if (this.closed) return;
    try {
      const jobs = await findJobs(this.db, this.options.replica, jobIds);
      await this.carryOut(this.plan(jobs, jobIds, reason));
    } catch (err) {
      this.ctx.logger.error({ err, jobIds: jobIds.slice(0, 10), jobs: jobIds.length }, 'jobs: could not schedule jobs');
    }
  }

  /**
   * Makes this replica's timers match the jobs, without a query: a job waits for its next run only
   * if it runs here and is enabled. A run time that passed unrun (the app closed, the machine
   * asleep) is missed: one catch-up run for `run-once`, nothing for `skip`, never more than one.
   * Returns the runs to start and the next run times to write (`carryOut`).
   */
  private plan(jobs: Map<string, Job>, ids: Iterable<string>, reason: Reason, firedFor?: Date): Plan {
    const plan: Plan = { runs: [], toArm: [], requested: [], now: this.options.clock() };
    const now = plan.now.getTime();
    for (const id of ids) {
      const job = jobs.get(id);
      // Run now works on a paused job too, so a request is looked at before the schedule is.
      if (job?.runsHere && this.hasPendingRequest(job)) plan.requested.push(job);
      if (!job || !job.runsHere || !job.enabled) {
        this.disarm(id);
        this.dropRetry(id);
        continue;
      }
      if (!this.options.types.has(job.type)) {
        this.disarm(id);
        continue;
      }
      const due = job.nextRunAt ? new Date(job.nextRunAt) : null;
      if (due && due.getTime() <= now) {
        const onTime = now - due.getTime() <= lateAfterMs;
        if (reason !== 'fire' && onTime && this.due.at(id)?.getTime() === due.getTime()) {
          this.rows.set(id, job); // its timer is about to fire, with this row
          continue;
        }
        if (reason === 'fire' && firedFor?.getTime() === due.getTime() && onTime) plan.runs.push({ job, trigger: 'schedule', attempt: 1 });
        else if (job.catchUp === 'run-once') plan.runs.push({ job, trigger: 'catch-up', attempt: 1 });
        else this.ctx.logger.info({ jobId: id, due: due.toISOString() }, 'jobs: a missed run is skipped (catch-up: skip)');
        plan.toArm.push({ job, after: due });
      } else {
        plan.toArm.push({ job, after: null });
      }
    }
    return plan;
  }

  /** Arms each planned job for its next run; returns the next run times that changed (to write). */
  private arm(plan: Plan): NextRunAt[] {
    const changed: NextRunAt[] = [];
    const nextRunAfter = nextRunMemo();
    for (const { job, after } of plan.toArm) {
      const next = after
        ? nextRunAfter(job.schedule, job.timezone, plan.now, after)
        : job.nextRunAt
          ? new Date(job.nextRunAt)
          : nextRunAfter(job.schedule, job.timezone, plan.now, job.lastRunAt ? new Date(job.lastRunAt) : null);
      this.due.set(job.id, next);
      const nextIso = next.toISOString();
      if (job.nextRunAt !== nextIso) changed.push({ jobId: job.id, workspaceId: job.workspaceId, at: nextIso });
      // Kept as it will be once that next run time is written (the rows read are the scheduler's own).
      job.nextRunAt = nextIso;
      this.rows.set(job.id, job);
    }
    plan.toArm = [];
    return changed;
  }

  /**
   * Starts a plan's runs (together; the types are called before this first awaits, when their
   * last results are known), arms the jobs' next runs, and writes the next run times (one doc
   * transaction per workspace). Awaited inside `serial`, so the next pass reads what this wrote.
   */
  private async carryOut(plan: Plan, armed: NextRunAt[] = []): Promise<void> {
    const starting = plan.runs.length > 0 ? this.startRuns(plan.runs).catch((err: unknown) => this.ctx.logger.error({ err }, 'jobs: could not start runs')) : null;
    const nextRunAt = [...armed, ...this.arm(plan)];
    const requested = plan.requested.splice(0);
    await starting;
    if (requested.length > 0) await this.serveRunRequests(requested);
    await Promise.all(
      nextRunAt.map(({ jobId, workspaceId, at }) =>
        this.writeSummary(workspaceId, jobId, (entry) => {
          if (entry?.get('runner') === this.options.replica) entry.set({ nextRunAt: at });
        }),
      ),
    );
  }

  /** A run request this replica has not served (by the job's row, and by what it served since the row was read). */
  private hasPendingRequest(job: Job): boolean {
    const request = job.runRequest;
    if (!request || request.id === job.lastRunRequest?.id || this.servedRequests.get(job.id) === request.id) return false;
    if (this.options.types.has(job.type)) return true;
    this.ctx.logger.warn({ jobId: job.id, type: job.type }, 'jobs: a run request waits: this version cannot run the type');
    return false;
  }

  /**
   * Serves run requests (README: run requests): per workspace, in its mutation queue, ONE doc
   * transaction marks each job's pending request served (`lastRunRequest`), deciding from the doc
   * itself that this replica is still the runner and the request still unserved; then those runs
   * start (trigger `manual`), one going already making it `skipped`. The mark is written before
   * the run starts, so a request is never run twice, also across a restart (a crash between the
   * two loses that one request's run rather than doubling it).
   */
  private async serveRunRequests(jobs: Job[]): Promise<void> {
    const byWorkspace = new Map<string, Job[]>();
    for (const job of jobs) byWorkspace.set(job.workspaceId, [...(byWorkspace.get(job.workspaceId) ?? []), job]);
    for (const [workspaceId, list] of byWorkspace) {
      try {
        await this.ctx.mutate(workspaceId, async () => {
          const served = await writeJobs(this.ctx, workspaceId, { kind: 'job', jobIds: list.map((j) => j.id) }, (entryOf) =>
            list.filter((job) => {
              const entry = entryOf(job.id);
              if (!entry || entry.get('runner') !== this.options.replica) return false;
              const request = runRequestOf(entry.get('runRequest'));
              if (!request || request.id === servedRunRequestOf(entry.get('lastRunRequest'))?.id) return false;
              entry.set({ lastRunRequest: { id: request.id, outcome: this.running.has(job.id) ? 'skipped' : 'started' } });
              this.servedRequests.set(job.id, request.id);
              return true;
            }),
          );
          if (served.length > 0 && !this.closed) await this.startRuns(served.map((job) => ({ job, trigger: 'manual' as const, attempt: 1 })));
        });
      } catch (err) {
        this.ctx.logger.error({ err, workspaceId, jobs: list.length }, 'jobs: could not serve run requests');
      }
    }
  }

  private disarm(jobId: string): void {
    this.due.delete(jobId);
    this.rows.delete(jobId);
    this.lastResults.delete(jobId);
  }

  /** Kept as the row stores it (what reading it back would give); returns that JSON. */
  private rememberResult(jobId: string, result: unknown): string {
    const json = result === null ? 'null' : storableJson(result);
    if (json.length <= rememberedResultChars) this.lastResults.set(jobId, json);
    else this.lastResults.delete(jobId);
    return json;
  }

  private lastResultsKnown(jobIds: string[]): Map<string, string> {
    return new Map(jobIds.map((id) => [id, this.lastResults.get(id)!]));
  }

  /** The last results of these jobs as JSON: from memory, the others read in one query (the small ones kept). */
  private async lastResultsOf(jobIds: string[]): Promise<Map<string, string>> {
    const known = new Map<string, string>();
    const unknown: string[] = [];
    for (const id of new Set(jobIds)) {
      const json = this.lastResults.get(id);
      if (json === undefined) unknown.push(id);
      else known.set(id, json);
    }
    if (unknown.length === 0) return known;
    const results = await executions.previousResults(this.db, unknown);
    for (const id of unknown) known.set(id, this.rememberResult(id, results.get(id) ?? null));
    return known;
  }

  private dropRetry(jobId: string): void {
    this.retries.delete(jobId);
    this.retryAttempt.delete(jobId);
  }

  /** Queues a run of `job` here and starts it; resolves with the queued (or skipped) execution. */
  async startRun(job: Job, trigger: JobTrigger, attempt = 1): Promise<JobExecution> {
    const [execution] = await this.startRuns([{ job, trigger, attempt }]);
    return execution!;
  }

  /**
   * Queues runs (one insert for all) and starts them (one update, then each type's `run` at once);
   * resolves with the queued executions, in order. A run while another of its job is going is
   * recorded `skipped` instead (one execution at a time per job).
   */
  async startRuns(requests: RunRequest[]): Promise<JobExecution[]> {
    if (this.closed) throw new ApiError('UNAVAILABLE', 'Groundwork is closing.');
    const now = this.options.clock();
    const at = now.toISOString();
    const starting: Starting[] = [];
    const rows = requests.map(({ job, trigger, attempt }): executions.NewExecution => {
      const base = { id: uuidv7(), jobId: job.id, workspaceId: job.workspaceId, trigger, attempt, at };
      if (this.running.has(job.id)) return { ...base, status: 'skipped', error: 'The previous run of this job was still going.' };
      // Taken before the first await, so two triggers at once cannot both start.
      const controller = new AbortController();
      let finish!: () => void;
      const done = new Promise<void>((resolve) => (finish = resolve));
      this.running.set(job.id, { executionId: base.id, controller, timeoutSeconds: job.timeoutSeconds, done });
      starting.push({ job, executionId: base.id, controller, finish, deadline: new Date(now.getTime() + job.timeoutSeconds * 1000) });
      return { ...base, status: 'queued' };
    });
    let previous: Map<string, string>;
    try {
      // Usually all known (remembered from the jobs' last runs, or read after start): then the
      // types are called before this first awaits.
      const ids = starting.map((s) => s.job.id);
      previous = ids.every((id) => this.lastResults.has(id)) ? this.lastResultsKnown(ids) : await this.track(this.lastResultsOf(ids));
    } catch (error) {
      for (const s of starting) this.release(s);
      throw error;
    }
    // The rows are inserted and marked started in two statements for all, issued BEFORE any type
    // runs: the database runs statements in the order they come, so they are written before
    // anything a run writes (log, progress, its end), yet no run waits for them.
    const inserting = this.track(executions.insertExecutions(this.db, rows));
    if (starting.length > 0) this.begin(starting, previous);
    let inserted: JobExecution[];
    try {
      inserted = await inserting;
    } catch (error) {
      for (const s of starting) s.controller.abort(error);
      throw error;
    }
    for (const execution of inserted) this.options.emit({ workspaceId: execution.workspaceId, jobId: execution.jobId, execution });
    return inserted;
  }

  /** Frees the job's slot once its execution's row is final (or was never written). */
  private release(s: Starting): void {
    if (this.running.get(s.job.id)?.executionId === s.executionId) this.running.delete(s.job.id);
    s.finish();
  }

  /** Marks the runs started (one statement, not awaited) and calls each type at once. */
  private begin(starting: Starting[], previous: Map<string, string>): void {
    const started = this.track(executions.markStarted(this.db, starting.map((s) => s.executionId), this.nowIso()));
    void started.then(
      // After the queued events: the insert was issued first.
      (rows) => rows.forEach((execution) => this.options.emit({ workspaceId: execution.workspaceId, jobId: execution.jobId, execution })),
      (err: unknown) => {
        this.ctx.logger.error({ err }, 'jobs: could not mark runs started');
        for (const s of starting) s.controller.abort(err);
      },
    );
    // Each run parses its own copy: what one run does to it stays out of the next run's.
    for (const s of starting) void this.execute(s, JSON.parse(previous.get(s.job.id) ?? 'null')).finally(() => this.release(s));
  }

  /** Stops a queued or running execution of this replica: it ends `cancelled`, with no retry. */
  async cancel(executionId: string): Promise<JobExecution> {
    const execution = await executions.getExecution(this.db, executionId, 'executionId');
    const run = this.running.get(execution.jobId);
    if (!run || run.executionId !== executionId) {
      throw new ApiError('CONFLICT', `executionId: that execution is not running (it is ${execution.status})`, { field: 'executionId' });
    }
    this.dropRetry(execution.jobId);
    run.controller.abort(new StopReason('cancel', 'Cancelled'));
    await run.done;
    return executions.getExecution(this.db, executionId);
  }

  /**
   * One run: the type's `run` is called before anything is awaited (its timeout is armed right
   * after), then the end is recorded in batches: the row, then the summary, retry and alert.
   */
  private async execute(s: Starting, previousResult: unknown): Promise<void> {
    const { job, executionId, controller, deadline } = s;
    const { signal } = controller;
    const log = new LogBuffer((entries) => this.track(executions.appendLog(this.db, executionId, entries)));
    let progressAt = 0;
    let unsavedProgress: JobProgress | null = null;
    const saveProgress = (p: JobProgress) => {
      unsavedProgress = null;
      progressAt = Date.now();
      void this.track(
        executions.saveProgress(this.db, executionId, { done: p.done, total: p.total, message: p.message ?? null }).then((execution) => {
          if (execution) this.options.emit({ workspaceId: job.workspaceId, jobId: job.id, execution });
        }),
      ).catch((err: unknown) => this.ctx.logger.warn({ err }, 'jobs: could not save progress'));
    };
    let outcome: { status: 'succeeded' | 'failed' | 'cancelled'; error?: string; result?: unknown };
    try {
      const type = this.options.types.get(job.type);
      const params = type.params.parse(job.params);
      const runContext: JobRunContext = {
        jobId: job.id,
        executionId,
        workspaceId: job.workspaceId,
        projectId: job.projectId,
        db: this.db,
        filesDir: async () => {
          if (!this.options.dataDir) return null;
          const dir = executionFilesDir(this.options.dataDir, executionId);
          await mkdir(dir, { recursive: true });
          return dir;
        },
        now: () => this.options.clock(),
        fetch: this.options.fetch,
        main: this.ctx.main,
        log: (level, message) => log.add({ at: this.nowIso(), level: level as JobLogLevel, message: String(message).slice(0, 10_000) }),
        previousResult,
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
      const running = type.run(runContext, params, signal, progress);
      this.timeouts.set(job.id, deadline);
      const value = await Promise.race([running, stopped]);
      const checked = type.result.safeParse(value);
      if (checked.success) this.rememberResult(job.id, checked.data);
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
      this.timeouts.delete(job.id);
    }
    if (outcome.error && outcome.status === 'failed') log.add({ at: this.nowIso(), level: 'error', message: outcome.error });
    const last = unsavedProgress as JobProgress | null;
    if (last) saveProgress(last);
    await log.flush().catch((err: unknown) => this.ctx.logger.warn({ err }, 'jobs: could not write a log'));
    let finished: JobExecution | null;
    try {
      finished = await this.track(this.finishes.add({ id: executionId, ...outcome, at: this.nowIso() }));
    } catch (err) {
      finished = null;
      this.ctx.logger.error({ err, jobId: job.id }, 'jobs: could not record the end of a run');
    }
    if (!finished) return;
    this.options.emit({ workspaceId: job.workspaceId, jobId: job.id, execution: finished });
    await this.track(this.afterRun(finished));
  }

  /**
   * After an execution ended: the summary in the doc, and from the job's state read in that same
   * doc transaction, a retry if it failed (or was interrupted) and attempts remain, an alert once
   * per failure streak and once on recovery; then retention, in the background.
   */
  private async afterRun(execution: JobExecution): Promise<void> {
    const { jobId, workspaceId } = execution;
    try {
      const summary: Partial<JobDocFields> = { lastRunAt: execution.startedAt ?? execution.finishedAt ?? execution.queuedAt, lastStatus: execution.status };
      let decided = null as { state: EndState; decision: EndDecision } | null;
      const written = await this.writeSummary(workspaceId, jobId, (entry) => {
        if (!entry || entry.get('runner') !== this.options.replica) return;
        const state: EndState = {
          name: entry.get('name') ?? '',
          enabled: entry.get('enabled') === true,
          maxAttempts: entry.get('retryMaxAttempts') ?? 1,
          backoffSeconds: entry.get('retryBackoffSeconds') ?? 60,
          consecutiveFailures: entry.get('consecutiveFailures') ?? 0,
        };
        const decision = this.decideEnd(execution, state);
        decided = { state, decision };
        entry.set(decision.consecutiveFailures === undefined ? summary : { ...summary, consecutiveFailures: decision.consecutiveFailures });
      });
      if (!written) {
        // The summary could not be written: decide from the job's row as it is.
        const job = await findJob(this.db, this.options.replica, jobId);
        if (job?.runsHere) {
          const state: EndState = {
            name: job.name,
            enabled: job.enabled,
            maxAttempts: job.retry.maxAttempts,
            backoffSeconds: job.retry.backoffSeconds,
            consecutiveFailures: job.consecutiveFailures,
          };
          decided = { state, decision: this.decideEnd(execution, state) };
        }
      }
      if (!decided) return;
      const { state, decision } = decided;
      if (decision.retryAfterMs !== undefined && !this.closed) {
        this.retryAttempt.set(jobId, execution.attempt + 1);
        this.retries.set(jobId, new Date(this.options.clock().getTime() + decision.retryAfterMs));
      }
      if (decision.alert) await this.raise(state, execution, decision.alert);
      void this.track(this.prunes.add(jobId)).catch((err: unknown) => this.ctx.logger.warn({ err, jobId }, 'jobs: could not prune executions'));
    } catch (err) {
      this.ctx.logger.error({ err, jobId }, 'jobs: could not record the end of a run');
    }
  }

  private decideEnd(execution: JobExecution, state: EndState): EndDecision {
    const failed = execution.status === 'failed' || execution.status === 'interrupted';
    if (failed && execution.attempt < state.maxAttempts && state.enabled && !this.closed) {
      return { retryAfterMs: retryDelayMs(state.backoffSeconds, execution.attempt, this.random) };
    }
    if (failed) return { consecutiveFailures: state.consecutiveFailures + 1, ...(state.consecutiveFailures === 0 ? { alert: 'failed' as const } : {}) };
    if (execution.status === 'succeeded') return { consecutiveFailures: 0, ...(state.consecutiveFailures > 0 ? { alert: 'recovered' as const } : {}) };
    return {};
  }

  /** Retries due together start together (their jobs read in one query). */
  private async retry(jobIds: string[]): Promise<void> {
    const attempts = new Map(jobIds.map((id) => [id, this.retryAttempt.get(id)]));
    jobIds.forEach((id) => this.retryAttempt.delete(id));
    if (this.closed) return;
    await this.track(
      (async () => {
        const jobs = await findJobs(this.db, this.options.replica, jobIds);
        const runs: RunRequest[] = [];
        for (const [id, attempt] of attempts) {
          const job = jobs.get(id);
          if (job?.runsHere && job.enabled && attempt !== undefined) runs.push({ job, trigger: 'retry', attempt });
        }
        if (runs.length > 0) await this.startRuns(runs);
      })(),
    ).catch((err: unknown) => this.ctx.logger.error({ err }, 'jobs: could not start retries'));
  }

  private async raise(state: EndState, execution: JobExecution, alert: 'failed' | 'recovered'): Promise<void> {
    const failures = state.consecutiveFailures;
    const notification =
      alert === 'failed'
        ? { title: `Job failed: ${state.name}`.slice(0, 200), body: (execution.error ?? 'It failed.').slice(0, 2000) }
        : { title: `Job recovered: ${state.name}`.slice(0, 200), body: `It succeeded again after ${failures} failed run${failures === 1 ? '' : 's'}.` };
    this.options.emit({ workspaceId: execution.workspaceId, jobId: execution.jobId, execution, alert });
    await this.ctx.main.api.notify.show(notification).catch((err: unknown) => this.ctx.logger.warn({ err }, 'jobs: could not show a notification'));
  }

  /**
   * The runner's summary, written into the doc so teammates see it: edits of one workspace that
   * come in one turn go into ONE doc transaction (in the workspace's mutation queue). `edit` gets
   * the job's doc entry (null: gone or deleted); resolves false if the write failed.
   */
  private writeSummary(workspaceId: string, jobId: string, edit: (entry: JobDocEntry | null) => void): Promise<boolean> {
    let batch = this.summaries.get(workspaceId);
    if (!batch) {
      batch = new TickBatch(async (edits) => {
        const jobIds = [...new Set(edits.map((e) => e.jobId))];
        try {
          await this.ctx.mutate(workspaceId, () =>
            writeJobs(this.ctx, workspaceId, { kind: 'job', jobIds }, (job) => {
              for (const e of edits) e.edit(job(e.jobId));
            }),
          );
          return edits.map(() => true);
        } catch (err) {
          this.ctx.logger.warn({ err, jobIds: jobIds.slice(0, 10), jobs: jobIds.length }, 'jobs: could not write the summary of jobs');
          return edits.map(() => false);
        }
      });
      this.summaries.set(workspaceId, batch);
    }
    return this.track(batch.add({ jobId, edit }));
  }

  /** Retention for the jobs that ran, in one transaction. */
  private async prune(jobIds: string[]): Promise<void> {
    const stored = await this.ctx.settings.get<Partial<Retention>>(retentionKey);
    const retention = { ...defaultRetention, ...(stored ?? {}) };
    const logsBefore = new Date(this.options.clock().getTime() - retention.logDays * 86_400_000).toISOString();
    const dropped = await executions.prune(this.db, jobIds, retention.executionsPerJob, logsBefore);
    // A job's last success may have gone with them: read it again when it next runs.
    for (const { jobId } of dropped) this.lastResults.delete(jobId);
    if (this.options.dataDir) {
      for (const { id } of dropped) await rm(executionFilesDir(this.options.dataDir, id), { recursive: true, force: true });
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
