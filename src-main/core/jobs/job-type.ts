/**
 * A job type: what a scheduled job does (`core/jobs/types/<type>.ts`). The scheduler knows types
 * only through this interface, so later issues add types (GitHub sync, release monitor) without
 * touching it. A type validates its params and its result with zod, runs with an AbortSignal
 * (cancel and timeout), reports progress and writes to the execution's log.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { z } from 'zod';
import type { MainClient } from '../main/main-client';

export type JobLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface JobProgress {
  /** Units done so far (pages, rows, bytes) and the total when known. */
  done: number;
  total: number | null;
  /** What is happening now, in words ("Auditing https://…"). */
  message?: string;
}

/** What a running job may use. The core builds one per execution. */
export interface JobRunContext {
  jobId: string;
  executionId: string;
  workspaceId: string;
  /** The project the job belongs to, if any (a client's audit). */
  projectId: string | null;
  /** The replica, for reading (exports); a type writes only through the core's API, never here. */
  db: PGlite;
  /**
   * A folder for files this execution keeps (audit screenshots), inside the data dir, created on
   * first call; removed with the execution when retention drops it. Null in memory-only cores.
   */
  filesDir(): Promise<string | null>;
  /** The core's wall clock (tests inject one). */
  now(): Date;
  fetch: typeof fetch;
  /** Electron main or the web host: folder dialogs, notifications. */
  main: MainClient;
  log(level: JobLogLevel, message: string): void;
  /** This job's previous succeeded result, for comparisons (new / fixed findings); null if none. */
  previousResult: unknown;
}

export interface JobType<Params extends z.ZodType = z.ZodType, Result extends z.ZodType = z.ZodType> {
  /** The registry key and the `type` of a job definition, e.g. `site.audit`. */
  type: string;
  /** What people see: "Site audit". */
  title: string;
  params: Params;
  result: Result;
  /**
   * Does the work. Throws (or rejects) to fail the execution with the error's message; must stop
   * soon after `signal` aborts (cancel or timeout). Long work yields (awaits) often and writes in
   * small steps, so people using the app never wait for a job.
   */
  run(ctx: JobRunContext, params: z.infer<Params>, signal: AbortSignal, progress: (p: JobProgress) => void): Promise<z.infer<Result>>;
  /**
   * What running it would produce first, without side effects (a data generator's first rows),
   * for the create dialog; types without one have nothing to preview.
   */
  preview?(params: z.infer<Params>): Promise<unknown>;
}
