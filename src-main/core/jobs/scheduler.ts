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
 * Jobs due at the same date share one timer (timer-groups.ts) and start together, from the rows
 * they were armed with: every type's `run` is called first, in one loop, then (same turn) their
 * executions are inserted in one statement and started in another.
 * What follows a run is batched per turn of the event loop (tick-batch.ts): the executions that
 * ended are written in one statement, the summaries in the doc (next run, last run and status,
 * failures) in one doc transaction per workspace, retention in one transaction in the background.
 * At start the rows read once arm every job before `createCore` resolves; the writes that start
 * needs (catch-up runs, next run times, retries of interrupted runs) follow in the same batches.
 */
import { mkdir, rm } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import type { Job, JobEvent, JobExecution, JobLogEntry, JobTrigger } from '../../contract';
import { ApiError } from '../../contract';
import type { CoreContext } from '../context';
import { storableJson } from '../sync/column-values';
import { nextRunMemo } from './cron-schedule';
import { executionFilesDir } from './execution-files';
import * as executions from './executions.repo';
import { writeJobs, type JobDocEntry, type JobDocFields } from './job-doc';
import type { MainClient } from '../main/main-client';
import { newExecutionId } from './execution-ids';
import type { JobLogLevel, JobProgress, JobRunContext, JobType } from './job-type';
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

/** What every run's context shares, made once per scheduler. */
interface ExecutionEnv {
  readonly db: PGlite;
  readonly fetch: typeof fetch;
  readonly main: MainClient;
  readonly dataDir: string | null;
  clock(): Date;
  /** Adds a line to a run's log (written in batches). */
  log(run: Run, entry: JobLogEntry): void;
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

/** A run to start: what `startRuns` takes, several at once. */
interface RunRequest {
  job: Job;
  trigger: JobTrigger;
  attempt: number;
}

/**
 * What a job's runs need that only changes with its definition: its type and its params as the
 * type's schema parses them (deeply frozen, so what one run might do to them never reaches the
 * next), or why they cannot run. Worked out when the job is armed, not when it fires.
 */
type Prepared = { ok: true; type: JobType; params: unknown } | { ok: false; error: unknown };

/** What every run reports back to its scheduler (one object, shared by all runs). */
interface RunHooks {
  ended(run: Run, ok: boolean, value: unknown): void;
  progress(run: Run, p: JobProgress): void;
}

/**
 * One run, from its job's slot being taken until its execution's row is final. A job's next run
 * is made when the job is armed (`Scheduler.readyRuns`), a minute or a day before it fires, with
 * its id, AbortController, context and callbacks: a firing of a thousand jobs then allocates
 * little more than each type's promise. That matters because after an idle minute V8 shrinks its
 * young generation to ~0.5 MB; every half megabyte a firing allocates costs a scavenge that copies
 * all the live runs (a profile: GC was half of a 20 ms firing). The log buffer is made on the first
 * line, and `done` only when someone waits for it (cancel, close).
 */
class Run {
  /** When its timeout aborts it (ms), set when it starts: runs started together share the date (one timer). */
  deadline = 0;
  /** Set once its rows are issued: progress is saved only after (the row must exist first). */
  written: Promise<unknown> | null = null;
  logs: LogBuffer | null = null;
  progressAt = 0;
  unsavedProgress: JobProgress | null = null;
  /** Its type, once called. */
  type: JobType | null = null;
  /** Whether it ended (returned, failed or was stopped): the first end counts, a later one is ignored. */
  private ended = false;
  private released = false;
  private whenDone: Promise<void> | null = null;
  private resolveDone: (() => void) | null = null;

  readonly controller = new AbortController();
  readonly context: ExecutionContext;
  /** What the type gets as `progress`, and the handlers of its promise: made with the run, not when it starts. */
  readonly report = (p: JobProgress): void => this.hooks.progress(this, p);
  readonly returned = (value: unknown): void => this.end(true, value);
  readonly threw = (error: unknown): void => this.end(false, error);

  constructor(
    readonly job: Job,
    readonly executionId: string,
    env: ExecutionEnv,
    private readonly hooks: RunHooks,
  ) {
    // Node makes a controller's signal (an EventTarget, the costliest part) on its first read.
    void this.controller.signal;
    this.context = new ExecutionContext(env, this);
  }

  /** The type returned (`ok`, its value) or failed (the error); also the end of a stopped run. */
  end(ok: boolean, value: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.hooks.ended(this, ok, value);
  }

  /** Aborts the type's signal, and the run ends now even if the type goes on (its late result is ignored). */
  stop(reason: unknown): void {
    this.controller.abort(reason);
    this.end(false, reason);
  }

  /** Settles when the execution's row is final (or was never written). */
  done(): Promise<void> {
    if (this.released) return Promise.resolve();
    return (this.whenDone ??= new Promise<void>((resolve) => (this.resolveDone = resolve)));
  }

  finish(): void {
    this.released = true;
    this.resolveDone?.();
  }
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
  /** Per job row (a new row, a new entry): its type and parsed params, worked out when it is armed. */
  private readonly prepared = new WeakMap<Job, Prepared>();
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
  private readonly running = new Map<string, Run>();
  /** Job id → the run request this process served last (the projection may not show it yet). */
  private readonly servedRequests = new Map<string, string>();
  /** Job id → the run request of a type this version cannot run, already logged. */
  private readonly unrunnableRequests = new Map<string, string>();
  /** Job id → its next run, made when the job is armed, for the row it was armed with (see `Run`). */
  private readonly readyRuns = new Map<string, Run>();
  private readonly runHooks: RunHooks = {
    // recordEnd releases the slot as soon as the row is final; releasing again after it (a no-op
    // then) only matters if it threw before that point: a job must never stay marked running.
    ended: (run, ok, value) => void this.recordEnd(run, ok, value).finally(() => this.release(run)),
    progress: (run, p) => this.progress(run, p),
  };
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
  private readonly env: ExecutionEnv;

  constructor(
    private readonly ctx: CoreContext,
    private readonly options: SchedulerOptions,
  ) {
    this.random = options.random ?? Math.random;
    this.env = {
      db: ctx.db,
      fetch: options.fetch,
      main: ctx.main,
      dataDir: options.dataDir,
      clock: options.clock,
      log: (run, entry) => (run.logs ??= new LogBuffer((entries) => this.track(executions.appendLog(this.db, run.executionId, entries)))).add(entry),
    };
    this.due = new TimerGroups(options.timers, (at, jobIds) => void this.fire(at, jobIds));
    this.retries = new TimerGroups(options.timers, (_at, jobIds) => void this.retry(jobIds));
    this.timeouts = new TimerGroups(options.timers, (_at, jobIds) => {
      for (const jobId of jobIds) {
        const run = this.running.get(jobId);
        run?.stop(new StopReason('timeout', `Timed out after ${formatSeconds(run.job.timeoutSeconds)} (the job's timeout)`));
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
    const byId = new Map(jobs.map((j) => [j.id, j]));
    const plan = this.plan((id) => byId.get(id), byId.keys(), 'start');
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
    this.unrunnableRequests.clear();
    this.timeouts.clear();
    this.readyRuns.clear();
    for (const run of this.running.values()) run.stop(new StopReason('closing', 'Groundwork is closing'));
    await Promise.allSettled([...this.running.values()].map((r) => r.done()));
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
        await this.carryOut(this.plan((id) => byId.get(id), new Set([...byId.keys(), ...this.due.keys()]), 'resume'));
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
        if (stale.length === 0) {
          await this.carryOut(this.plan((id) => this.rows.get(id), jobIds, 'fire', at));
          return;
        }
        const fresh = await findJobs(this.db, this.options.replica, stale);
        const staleIds = new Set(stale);
        await this.carryOut(this.plan((id) => (staleIds.has(id) ? fresh.get(id) : this.rows.get(id)), jobIds, 'fire', at));
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
      await this.carryOut(this.plan((id) => jobs.get(id), jobIds, reason));
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
  private plan(jobOf: (id: string) => Job | undefined, ids: Iterable<string>, reason: Reason, firedFor?: Date): Plan {
    const plan: Plan = { runs: [], toArm: [], requested: [], now: this.options.clock() };
    const now = plan.now.getTime();
    for (const id of ids) {
      const job = jobOf(id);
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
          this.keepRow(job); // its timer is about to fire, with this row
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
      this.keepRow(job);
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
    // Said once per request, not at every planning pass while it waits.
    if (this.unrunnableRequests.get(job.id) !== request.id) {
      this.unrunnableRequests.set(job.id, request.id);
      this.ctx.logger.warn({ jobId: job.id, type: job.type }, 'jobs: a run request waits: this version cannot run the type');
    }
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

  /** Keeps the row its timer will fire with, its type and params and its next run ready. */
  private keepRow(job: Job): void {
    this.rows.set(job.id, job);
    this.prepare(job);
    if (this.readyRuns.get(job.id)?.job !== job) this.readyRuns.set(job.id, this.newRun(job));
  }

  private newRun(job: Job): Run {
    return new Run(job, newExecutionId(), this.env, this.runHooks);
  }

  /** The job's ready run if it was made for this row, else a new one. */
  private takeRun(job: Job): Run {
    const ready = this.readyRuns.get(job.id);
    if (ready?.job !== job) return this.newRun(job);
    this.readyRuns.delete(job.id);
    return ready;
  }

  private prepare(job: Job): Prepared {
    let prepared = this.prepared.get(job);
    if (!prepared) {
      try {
        const type = this.options.types.get(job.type);
        prepared = { ok: true, type, params: deepFreeze(type.params.parse(job.params)) };
      } catch (error) {
        prepared = { ok: false, error };
      }
      this.prepared.set(job, prepared);
    }
    return prepared;
  }

  private disarm(jobId: string): void {
    this.due.delete(jobId);
    this.rows.delete(jobId);
    this.readyRuns.delete(jobId);
    this.lastResults.delete(jobId);
    this.unrunnableRequests.delete(jobId);
  }

  /** Kept as the row stores it (what reading it back would give); returns that JSON. */
  private rememberResult(jobId: string, result: unknown): string {
    const json = result === null ? 'null' : storableJson(result);
    if (json.length <= rememberedResultChars) this.lastResults.set(jobId, json);
    else this.lastResults.delete(jobId);
    return json;
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
   * Starts runs together and queues their executions (one insert for all); resolves with the
   * queued executions, in order. A run while another of its job is going is recorded `skipped`
   * instead (one execution at a time per job). When the last results are all known, every type's
   * `run` is called before anything else: the rows, the timeouts and the events follow.
   */
  async startRuns(requests: RunRequest[]): Promise<JobExecution[]> {
    if (this.closed) throw new ApiError('UNAVAILABLE', 'Groundwork is closing.');
    const now = this.options.clock();
    const nowMs = now.getTime();
    // Request i runs as runs[i]; undefined: skipped.
    const runs: (Run | undefined)[] = [];
    const starting: Run[] = [];
    let allKnown = true;
    for (const { job } of requests) {
      if (this.running.has(job.id)) {
        runs.push(undefined);
        continue;
      }
      // Taken before the first await, so two triggers at once cannot both start.
      const run = this.takeRun(job);
      run.deadline = nowMs + job.timeoutSeconds * 1000;
      this.running.set(job.id, run);
      runs.push(run);
      starting.push(run);
      if (allKnown && !this.lastResults.has(job.id)) allKnown = false;
    }
    // Usually all known (remembered from the jobs' last runs, or read after start); a big one
    // is not kept in memory, so the map read is used as it is.
    let previousResults: Map<string, string> | null = null;
    if (!allKnown) {
      try {
        previousResults = await this.track(this.lastResultsOf(starting.map((r) => r.job.id)));
      } catch (error) {
        for (const run of starting) this.release(run);
        throw error;
      }
    }
    for (const run of starting) this.execute(run, previousResults);
    // The rows are inserted and marked started in two statements for all, issued in this same
    // turn, before anything a run writes: its log and end come turns later, its progress waits
    // for `written` (the database runs statements in the order they come).
    const at = now.toISOString();
    const rows = requests.map(({ job, trigger, attempt }, i): executions.NewExecution => {
      const run = runs[i];
      return run
        ? { id: run.executionId, jobId: job.id, workspaceId: job.workspaceId, trigger, attempt, at, status: 'queued' }
        : { id: newExecutionId(), jobId: job.id, workspaceId: job.workspaceId, trigger, attempt, at, status: 'skipped', error: 'The previous run of this job was still going.' };
    });
    const inserting = this.track(executions.insertExecutions(this.db, rows));
    if (starting.length > 0) this.begin(starting);
    let inserted: JobExecution[];
    try {
      inserted = await inserting;
    } catch (error) {
      for (const run of starting) run.stop(error);
      throw error;
    }
    for (const execution of inserted) this.options.emit({ workspaceId: execution.workspaceId, jobId: execution.jobId, execution });
    return inserted;
  }

  /** Frees the job's slot once its execution's row is final (or was never written). */
  private release(run: Run): void {
    if (this.running.get(run.job.id) === run) this.running.delete(run.job.id);
    run.finish();
  }

  /** After the types are called: marks the runs started (one statement, not awaited) and arms their timeouts. */
  private begin(starting: Run[]): void {
    const started = this.track(executions.markStarted(this.db, starting.map((r) => r.executionId), this.nowIso()));
    void started.then(
      // After the queued events: the insert was issued first.
      (rows) => rows.forEach((execution) => this.options.emit({ workspaceId: execution.workspaceId, jobId: execution.jobId, execution })),
      (err: unknown) => {
        this.ctx.logger.error({ err }, 'jobs: could not mark runs started');
        for (const run of starting) run.stop(err);
      },
    );
    for (const run of starting) {
      run.written = started;
      if (run.unsavedProgress) this.saveProgress(run, run.unsavedProgress);
      // Even a run whose type already threw: its end is recorded turns later, which drops this.
      this.timeouts.set(run.job.id, new Date(run.deadline));
    }
  }

  /** Stops a queued or running execution of this replica: it ends `cancelled`, with no retry. */
  async cancel(executionId: string): Promise<JobExecution> {
    const execution = await executions.getExecution(this.db, executionId, 'executionId');
    const run = this.running.get(execution.jobId);
    if (!run || run.executionId !== executionId) {
      throw new ApiError('CONFLICT', `executionId: that execution is not running (it is ${execution.status})`, { field: 'executionId' });
    }
    this.dropRetry(execution.jobId);
    run.stop(new StopReason('cancel', 'Cancelled'));
    await run.done();
    return executions.getExecution(this.db, executionId);
  }

  /** One run: the type's `run` is called at once; its end is recorded later, in batches (`recordEnd`). */
  private execute(run: Run, previousResults: Map<string, string> | null): void {
    const prepared = this.prepare(run.job);
    try {
      if (!prepared.ok) throw prepared.error;
      run.type = prepared.type;
      run.context.previousJson = (previousResults ?? this.lastResults).get(run.job.id) ?? 'null';
      Promise.resolve(prepared.type.run(run.context, prepared.params, run.controller.signal, run.report)).then(run.returned, run.threw);
    } catch (error) {
      // Ends after this turn, like any run: its rows and timeout are issued first.
      queueMicrotask(() => run.end(false, error));
    }
  }

  private progress(run: Run, p: JobProgress): void {
    if (run.controller.signal.aborted) return;
    if (run.written && Date.now() - run.progressAt >= progressEveryMs) this.saveProgress(run, p);
    else run.unsavedProgress = p;
  }

  /** Stores and pushes a run's progress, after its row is written (a save before it would find none). */
  private saveProgress(run: Run, p: JobProgress): void {
    run.unsavedProgress = null;
    run.progressAt = Date.now();
    const { job, executionId } = run;
    const saving = (run.written ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => executions.saveProgress(this.db, executionId, { done: p.done, total: p.total, message: p.message ?? null }))
      .then((execution) => {
        if (execution) this.options.emit({ workspaceId: job.workspaceId, jobId: job.id, execution });
      });
    void this.track(saving).catch((err: unknown) => this.ctx.logger.warn({ err }, 'jobs: could not save progress'));
  }

  /**
   * The end of a run, when the type returns or when it is stopped, whichever comes first: the
   * row (batched with the other ends of the turn), then the summary, retry and alert.
   */
  private async recordEnd(run: Run, ok: boolean, value: unknown): Promise<void> {
    const { job, executionId } = run;
    const { signal } = run.controller;
    this.timeouts.delete(job.id);
    let outcome: { status: 'succeeded' | 'failed' | 'cancelled'; error?: string; result?: unknown };
    if (ok) {
      const checked = run.type!.result.safeParse(value);
      if (checked.success) this.rememberResult(job.id, checked.data);
      outcome = checked.success
        ? { status: 'succeeded', result: checked.data }
        : { status: 'failed', error: `The job returned a result its type refuses: ${checked.error.issues[0]?.message ?? 'invalid'}` };
    } else {
      const reason = signal.aborted ? signal.reason : null;
      if (reason instanceof StopReason && reason.kind === 'closing') {
        // The process is going away: the row stays `running` and becomes `interrupted` at the next start.
        await run.logs?.flush().catch(() => undefined);
        return;
      }
      if (reason instanceof StopReason && reason.kind === 'cancel') outcome = { status: 'cancelled', error: 'Cancelled' };
      else if (reason instanceof StopReason) outcome = { status: 'failed', error: reason.message };
      else outcome = { status: 'failed', error: errorText(value) };
    }
    if (outcome.error && outcome.status === 'failed') this.env.log(run, { at: this.nowIso(), level: 'error', message: outcome.error });
    if (run.unsavedProgress) this.saveProgress(run, run.unsavedProgress);
    await run.logs?.flush().catch((err: unknown) => this.ctx.logger.warn({ err }, 'jobs: could not write a log'));
    let finished: JobExecution | null;
    try {
      finished = await this.track(this.finishes.add({ id: executionId, ...outcome, at: this.nowIso() }));
    } catch (err) {
      finished = null;
      this.ctx.logger.error({ err, jobId: job.id }, 'jobs: could not record the end of a run');
    }
    // The execution is final: the job may run again now (a Run now right after a run is seen
    // ending is not `skipped`), while its summary, retry and alert follow.
    this.release(run);
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

/**
 * What a running type gets (`JobRunContext`): its methods live on the prototype, so a thousand
 * runs starting together do not each allocate closures for them — call them on the context
 * (`ctx.log(…)`), not detached. The run and the shared parts stay private to the scheduler.
 */
class ExecutionContext implements JobRunContext {
  readonly jobId: string;
  readonly executionId: string;
  readonly workspaceId: string;
  readonly projectId: string | null;
  readonly db: PGlite;
  readonly fetch: typeof fetch;
  readonly main: MainClient;
  readonly #env: ExecutionEnv;
  readonly #run: Run;
  /** The job's last succeeded result as JSON, set when the run starts; parsed on first read. */
  previousJson = 'null';
  #previous: { value: unknown } | null = null;

  constructor(env: ExecutionEnv, run: Run) {
    this.#env = env;
    this.#run = run;
    this.jobId = run.job.id;
    this.executionId = run.executionId;
    this.workspaceId = run.job.workspaceId;
    this.projectId = run.job.projectId;
    this.db = env.db;
    this.fetch = env.fetch;
    this.main = env.main;
  }

  /** Each run parses its own copy: what one run does to it stays out of the next run's. */
  get previousResult(): unknown {
    return (this.#previous ??= { value: JSON.parse(this.previousJson) as unknown }).value;
  }

  async filesDir(): Promise<string | null> {
    if (!this.#env.dataDir) return null;
    const dir = executionFilesDir(this.#env.dataDir, this.executionId);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  now(): Date {
    return this.#env.clock();
  }

  log(level: JobLogLevel, message: string): void {
    this.#env.log(this.#run, { at: this.#env.clock().toISOString(), level, message: String(message).slice(0, 10_000) });
  }
}

/** Deep-freezes plain data (parsed params) in place. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
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
