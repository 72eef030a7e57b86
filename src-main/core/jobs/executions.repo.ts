/**
 * SQL of executions and their logs: local tables of the replica that runs the job, never synced.
 * Each write is one statement, for a batch of executions where the scheduler writes many at once
 * (a minute's firings); an execution's row is the one place its state lives.
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

/** Inserts executions in ONE statement (a minute's firings together); rows come back in the order given. */
export async function insertExecutions(db: PGlite, list: NewExecution[]): Promise<JobExecution[]> {
  if (list.length === 0) return [];
  const finished = list.map((e) => (e.status === 'skipped' ? e.at : null));
  const { rows } = await db.query<ExecutionRow>(
    `INSERT INTO job_executions (id, job_id, workspace_id, status, trigger, attempt, queued_at, finished_at, duration_ms, error)
     SELECT id, job_id, workspace_id, status, trigger, attempt, queued_at, finished_at, CASE WHEN finished_at IS NULL THEN NULL ELSE 0 END, error
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::timestamptz[], $8::timestamptz[], $9::text[])
       AS n(id, job_id, workspace_id, status, trigger, attempt, queued_at, finished_at, error)
     RETURNING ${columns}`,
    [
      list.map((e) => e.id),
      list.map((e) => e.jobId),
      list.map((e) => e.workspaceId),
      list.map((e) => e.status),
      list.map((e) => e.trigger),
      list.map((e) => e.attempt),
      list.map((e) => e.at),
      finished,
      list.map((e) => e.error ?? null),
    ],
  );
  return inOrder(list, rows.map(toExecution));
}

/** Marks queued executions running, in ONE statement; rows come back in the order given. */
export async function markStarted(db: PGlite, ids: string[], at: string): Promise<JobExecution[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<ExecutionRow>(
    `UPDATE job_executions SET status = 'running', started_at = $2 WHERE id = ANY($1::uuid[]) RETURNING ${columns}`,
    [ids, at],
  );
  return inOrder(ids.map((id) => ({ id })), rows.map(toExecution));
}

/** RETURNING keeps no order: put the rows back in the order of the ids asked for. */
function inOrder(asked: { id: string }[], rows: JobExecution[]): JobExecution[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return asked.map(({ id }) => {
    const row = byId.get(id);
    if (!row) throw new Error(`jobs: execution ${id} was not written`);
    return row;
  });
}

export interface Outcome {
  id: string;
  status: Exclude<JobStatus, 'queued' | 'running'>;
  at: string;
  error?: string | null;
  result?: unknown;
}

/**
 * Ends executions in ONE statement (the runs that ended in one turn); rows come back in the order
 * given, null for an execution with no row (its insert failed): one such never fails the others.
 */
export async function markFinished(db: PGlite, outcomes: Outcome[]): Promise<(JobExecution | null)[]> {
  if (outcomes.length === 0) return [];
  const { rows } = await db.query<ExecutionRow>(
    `UPDATE job_executions e SET status = o.status, finished_at = o.at,
       duration_ms = CASE WHEN e.started_at IS NULL THEN 0 ELSE greatest(0, round(extract(epoch FROM (o.at - e.started_at)) * 1000))::int END,
       error = o.error, result = o.result::jsonb
     FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[]) AS o(id, status, at, error, result)
     WHERE e.id = o.id RETURNING ${columns.split(', ').map((c) => `e.${c}`).join(', ')}`,
    [
      outcomes.map((o) => o.id),
      outcomes.map((o) => o.status),
      outcomes.map((o) => o.at),
      outcomes.map((o) => o.error ?? null),
      outcomes.map((o) => (o.result === undefined ? null : storableJson(o.result))),
    ],
  );
  const byId = new Map(rows.map((r) => [r.id, toExecution(r)]));
  return outcomes.map((o) => byId.get(o.id) ?? null);
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

/**
 * The last succeeded result of each job (a type compares with it: new / fixed findings), in ONE
 * query that walks each job's index backwards to its newest success (a job's runs are one at a
 * time, so the newest queued success is the newest finished one).
 */
export async function previousResults(db: PGlite, jobIds: string[]): Promise<Map<string, unknown>> {
  if (jobIds.length === 0) return new Map();
  const { rows } = await db.query<{ job_id: string; result: unknown }>(
    `SELECT j.id AS job_id, last.result FROM unnest($1::uuid[]) AS j(id)
     CROSS JOIN LATERAL (
       SELECT result FROM job_executions e WHERE e.job_id = j.id AND e.status = 'succeeded' ORDER BY e.queued_at DESC, e.id DESC LIMIT 1
     ) last`,
    [jobIds],
  );
  return new Map(rows.map((r) => [r.job_id, r.result ?? null]));
}

/**
 * How many of the job's executions failed since its last succeeded one, counting only those
 * whose error starts with `errorPrefix` (a type's own kind of failure, not a timeout or a
 * cancel). Executions still going are not counted.
 */
export async function failuresSinceLastSuccess(db: PGlite, jobId: string, errorPrefix: string): Promise<number> {
  const { rows } = await db.query<{ failures: number }>(
    `SELECT count(*)::int AS failures FROM job_executions e
     WHERE e.job_id = $1 AND e.status = 'failed' AND starts_with(e.error, $2)
       AND NOT EXISTS (
         SELECT 1 FROM job_executions ok WHERE ok.job_id = $1 AND ok.status = 'succeeded' AND (ok.queued_at, ok.id) > (e.queued_at, e.id)
       )`,
    [jobId, errorPrefix],
  );
  return rows[0]?.failures ?? 0;
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
 * Retention for several jobs in ONE transaction: per job the newest `keep` finished executions
 * (and their logs) stay, older ones go; log rows older than `logsBefore` go too. Returns the
 * dropped executions (their files go with them).
 */
export async function prune(db: PGlite, jobIds: string[], keep: number, logsBefore: string): Promise<{ id: string; jobId: string }[]> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; job_id: string }>(
      `DELETE FROM job_executions WHERE id IN (
         SELECT id FROM (
           SELECT id, row_number() OVER (PARTITION BY job_id ORDER BY queued_at DESC, id DESC) AS n
           FROM job_executions WHERE job_id = ANY($1::uuid[]) AND status NOT IN ('queued', 'running')
         ) ranked WHERE n > $2)
       RETURNING id, job_id`,
      [jobIds, keep],
    );
    if (rows.length > 0) await tx.query('DELETE FROM job_log WHERE execution_id = ANY($1::uuid[])', [rows.map((r) => r.id)]);
    await tx.query('DELETE FROM job_log WHERE at < $1', [logsBefore]);
    return rows.map((r) => ({ id: r.id, jobId: r.job_id }));
  });
}
