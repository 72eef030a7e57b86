/** SQL reads of job definitions (the `jobs` projection of the workspace docs). */
import type { PGlite } from '@electric-sql/pglite';
import { ApiError, type Job, type JobCatchUp, type JobRunRequest, type JobServedRunRequest, type JobStatus } from '../../contract';

interface JobRow {
  id: string;
  workspace_id: string;
  project_id: string | null;
  name: string;
  type: string;
  params: unknown;
  schedule: string;
  timezone: string;
  enabled: boolean;
  retry_max_attempts: number;
  retry_backoff_seconds: number;
  timeout_seconds: number;
  catch_up: JobCatchUp;
  runner: string;
  last_run_at: Date | null;
  last_status: JobStatus | null;
  next_run_at: Date | null;
  consecutive_failures: number;
  run_request: unknown;
  last_run_request: unknown;
  created_at: Date;
  updated_at: Date;
}

const select = `SELECT id, workspace_id, project_id, name, type, params, schedule, timezone, enabled, retry_max_attempts,
  retry_backoff_seconds, timeout_seconds, catch_up, runner, last_run_at, last_status, next_run_at, consecutive_failures,
  run_request, last_run_request, created_at, updated_at FROM jobs`;

const toJob = (r: JobRow, replica: string): Job => ({
  id: r.id,
  workspaceId: r.workspace_id,
  projectId: r.project_id,
  name: r.name,
  type: r.type,
  params: r.params,
  schedule: r.schedule,
  timezone: r.timezone,
  enabled: r.enabled,
  retry: { maxAttempts: r.retry_max_attempts, backoffSeconds: r.retry_backoff_seconds },
  timeoutSeconds: r.timeout_seconds,
  catchUp: r.catch_up === 'run-once' ? 'run-once' : 'skip',
  runner: r.runner,
  runsHere: r.runner === replica,
  lastRunAt: r.last_run_at?.toISOString() ?? null,
  lastStatus: r.last_status,
  nextRunAt: r.next_run_at?.toISOString() ?? null,
  consecutiveFailures: r.consecutive_failures,
  runRequest: runRequestOf(r.run_request),
  lastRunRequest: servedRunRequestOf(r.last_run_request),
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

// The doc may hold anything a teammate's client wrote: a value of the wrong shape reads as none.
const record = (value: unknown): Record<string, unknown> | null => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null);

export function runRequestOf(value: unknown): JobRunRequest | null {
  const r = record(value);
  if (!r || typeof r.id !== 'string' || !r.id) return null;
  return { id: r.id, by: typeof r.by === 'string' ? r.by : null, at: typeof r.at === 'string' ? r.at : '' };
}

export function servedRunRequestOf(value: unknown): JobServedRunRequest | null {
  const r = record(value);
  if (!r || typeof r.id !== 'string' || !r.id) return null;
  return { id: r.id, outcome: r.outcome === 'skipped' ? 'skipped' : 'started' };
}

export async function listJobs(db: PGlite, replica: string, workspaceId: string, projectId?: string): Promise<Job[]> {
  const { rows } = await db.query<JobRow>(
    `${select} WHERE workspace_id = $1 AND deleted_at IS NULL AND ($2::uuid IS NULL OR project_id = $2) ORDER BY lower(name), id`,
    [workspaceId, projectId ?? null],
  );
  return rows.map((r) => toJob(r, replica));
}

/** A live job, or NOT_FOUND naming `field`. */
export async function getJob(db: PGlite, replica: string, id: string, field = 'id'): Promise<Job> {
  const job = await findJob(db, replica, id);
  if (!job) throw new ApiError('NOT_FOUND', `No job with id ${id}`, { id, field });
  return job;
}

export async function findJob(db: PGlite, replica: string, id: string): Promise<Job | null> {
  return (await findJobs(db, replica, [id])).get(id) ?? null;
}

/** The live jobs among `ids`, in ONE query (absent: gone or deleted). */
export async function findJobs(db: PGlite, replica: string, ids: string[]): Promise<Map<string, Job>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<JobRow>(`${select} WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`, [ids]);
  return new Map(rows.map((r) => [r.id, toJob(r, replica)]));
}

/** Every live job this replica runs (what the scheduler arms at start). */
export async function jobsRunBy(db: PGlite, replica: string): Promise<Job[]> {
  const { rows } = await db.query<JobRow>(`${select} WHERE runner = $1 AND deleted_at IS NULL`, [replica]);
  return rows.map((r) => toJob(r, replica));
}
