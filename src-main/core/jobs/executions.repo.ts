/**
 * SQL of executions and their logs: local tables of the replica that runs the job, never synced.
 * Each write is one statement; an execution's row is the one place its state lives.
 */
import type { PGlite } from '@electric-sql/pglite';
import { ApiError, type JobExecution, type JobExecutionProgress, type JobLogEntry, type JobStatus, type JobTrigger } from '../../contract';
import { storableJson } from '../sync/column-values';

interface ExecutionRow {
  id: string;
  job_id: string;
  workspace_id: string;
  status: JobStatus;
  trigger: JobTrigger;
  attempt: number;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
  error: string | null;
  result: unknown;
  progress: JobExecutionProgress | null;
}

const columns = 'id, job_id, workspace_id, status, trigger, attempt, queued_at, started_at, finished_at, duration_ms, error, result, progress';

const toExecution = (r: ExecutionRow): JobExecution => ({
  id: r.id,
  jobId: r.job_id,
  workspaceId: r.workspace_id,
  status: r.status,
  trigger: r.trigger,
  attempt: r.attempt,
  queuedAt: r.queued_at.toISOString(),
  startedAt: r.started_at?.toISOString() ?? null,
  finishedAt: r.finished_at?.toISOString() ?? null,
  durationMs: r.duration_ms,
  error: r.error,
  result: r.result ?? null,
  progress: r.progress ?? null,
});

export interface NewExecution {
  id: string;
  jobId: string;
  workspaceId: string;
  status: 'queued' | 'skipped';
  trigger: JobTrigger;
  attempt: number;
  at: string;
  error?: string;
}

export async function insertExecution(db: PGlite, e: NewExecution): Promise<JobExecution> {
  const finished = e.status === 'skipped' ? e.at : null;
  const { rows } = await db.query<ExecutionRow>(
    `INSERT INTO job_executions (id, job_id, workspace_id, status, trigger, attempt, queued_at, finished_at, duration_ms, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${columns}`,
    [e.id, e.jobId, e.workspaceId, e.status, e.trigger, e.attempt, e.at, finished, finished ? 0 : null, e.error ?? null],
  );
  return toExecution(rows[0]!);
}

export async function markStarted(db: PGlite, id: string, at: string): Promise<JobExecution> {
  const { rows } = await db.query<ExecutionRow>(
    `UPDATE job_executions SET status = 'running', started_at = $2 WHERE id = $1 RETURNING ${columns}`,
    [id, at],
  );
  return toExecution(rows[0]!);
}

export async function markFinished(
  db: PGlite,
  id: string,
  outcome: { status: Exclude<JobStatus, 'queued' | 'running'>; at: string; error?: string | null; result?: unknown },
): Promise<JobExecution> {
  const { rows } = await db.query<ExecutionRow>(
    `UPDATE job_executions SET status = $2, finished_at = $3,
       duration_ms = CASE WHEN started_at IS NULL THEN 0 ELSE greatest(0, round(extract(epoch FROM ($3::timestamptz - started_at)) * 1000))::int END,
       error = $4, result = $5::jsonb
     WHERE id = $1 RETURNING ${columns}`,
    [id, outcome.status, outcome.at, outcome.error ?? null, outcome.result === undefined ? null : storableJson(outcome.result)],
  );
  return toExecution(rows[0]!);
}

export async function saveProgress(db: PGlite, id: string, progress: JobExecutionProgress): Promise<JobExecution | null> {
  const { rows } = await db.query<ExecutionRow>(
    `UPDATE job_executions SET progress = $2::jsonb WHERE id = $1 AND status = 'running' RETURNING ${columns}`,
    [id, storableJson(progress)],
  );
  return rows[0] ? toExecution(rows[0]) : null;
}

/** Executions left queued or running by a process that stopped: they end `interrupted`. */
export async function interruptUnfinished(db: PGlite, at: string): Promise<JobExecution[]> {
  const { rows } = await db.query<ExecutionRow>(
    `UPDATE job_executions SET status = 'interrupted', finished_at = $1,
       duration_ms = CASE WHEN started_at IS NULL THEN 0 ELSE greatest(0, round(extract(epoch FROM ($1::timestamptz - started_at)) * 1000))::int END,
       error = 'Groundwork stopped while this ran (the app was closed or the process ended)'
     WHERE status IN ('queued', 'running') RETURNING ${columns}`,
    [at],
  );
  return rows.map(toExecution);
}

export async function listExecutions(db: PGlite, jobId: string, limit: number): Promise<JobExecution[]> {
  const { rows } = await db.query<ExecutionRow>(
    `SELECT ${columns} FROM job_executions WHERE job_id = $1 ORDER BY queued_at DESC, id DESC LIMIT $2`,
    [jobId, limit],
  );
  return rows.map(toExecution);
}

export async function getExecution(db: PGlite, id: string, field = 'id'): Promise<JobExecution> {
  const { rows } = await db.query<ExecutionRow>(`SELECT ${columns} FROM job_executions WHERE id = $1`, [id]);
  if (!rows[0]) throw new ApiError('NOT_FOUND', `No execution with id ${id} on this device`, { id, field });
  return toExecution(rows[0]);
}

/** The last succeeded result of a job (a type compares with it: new / fixed findings). */
export async function previousResult(db: PGlite, jobId: string): Promise<unknown> {
  const { rows } = await db.query<{ result: unknown }>(
    `SELECT result FROM job_executions WHERE job_id = $1 AND status = 'succeeded' ORDER BY finished_at DESC, id DESC LIMIT 1`,
    [jobId],
  );
  return rows[0]?.result ?? null;
}

export async function appendLog(db: PGlite, executionId: string, entries: JobLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    `INSERT INTO job_log (execution_id, at, level, message)
     SELECT $1, * FROM unnest($2::timestamptz[], $3::text[], $4::text[])`,
    [executionId, entries.map((e) => e.at), entries.map((e) => e.level), entries.map((e) => e.message)],
  );
}

export async function readLog(db: PGlite, executionId: string): Promise<JobLogEntry[]> {
  const { rows } = await db.query<{ at: Date; level: JobLogEntry['level']; message: string }>(
    'SELECT at, level, message FROM job_log WHERE execution_id = $1 ORDER BY id',
    [executionId],
  );
  return rows.map((r) => ({ at: r.at.toISOString(), level: r.level, message: r.message }));
}

/**
 * Retention: the newest `keep` executions of a job (and their logs) stay, older ones go; log rows
 * older than `logDays` go too. One transaction, run after each execution; returns the dropped ids.
 */
export async function prune(db: PGlite, jobId: string, keep: number, logsBefore: string): Promise<string[]> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `DELETE FROM job_executions WHERE job_id = $1 AND id IN (
         SELECT id FROM job_executions WHERE job_id = $1 AND status NOT IN ('queued', 'running')
         ORDER BY queued_at DESC, id DESC OFFSET $2)
       RETURNING id`,
      [jobId, keep],
    );
    if (rows.length > 0) await tx.query('DELETE FROM job_log WHERE execution_id = ANY($1::uuid[])', [rows.map((r) => r.id)]);
    await tx.query('DELETE FROM job_log WHERE at < $1', [logsBefore]);
    return rows.map((r) => r.id);
  });
}
