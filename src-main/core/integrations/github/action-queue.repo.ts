/**
 * SQL of the local `github_actions` outbox (migration 0012). Every state change is one statement,
 * committed on its own, and the ones that decide (claim, cancel) are conditional on the state read
 * in the same statement, so two callers can never both move an action out of one state.
 */
import type { PGlite } from '@electric-sql/pglite';
import { ApiError, type GithubAction, type GithubActionKind, type GithubActionState } from '../../../contract';

interface ActionRow {
  id: string;
  workspace_id: string;
  kind: GithubActionKind;
  repo: string;
  task_id: string | null;
  input: Record<string, unknown>;
  prepared: Record<string, unknown> | null;
  state: GithubActionState;
  attempts: number;
  next_attempt_at: Date | null;
  sending_since: Date | null;
  sent_by: string | null;
  effect_unknown: boolean;
  error: string | null;
  result: GithubAction['result'];
  created_at: Date;
  updated_at: Date;
}

/** An action with what only the queue needs (not shown: the contract's `GithubAction` is the rest). */
export interface StoredAction extends GithubAction {
  prepared: Record<string, unknown> | null;
  sendingSince: string | null;
  sentBy: string | null;
  effectUnknown: boolean;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

const toStored = (row: ActionRow): StoredAction => ({
  id: row.id,
  workspaceId: row.workspace_id,
  kind: row.kind,
  repo: row.repo,
  taskId: row.task_id,
  input: row.input,
  state: row.state,
  attempts: row.attempts,
  nextAttemptAt: iso(row.next_attempt_at),
  error: row.error,
  result: row.result,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  prepared: row.prepared,
  sendingSince: iso(row.sending_since),
  sentBy: row.sent_by,
  effectUnknown: row.effect_unknown,
});

/** The contract's view of an action (what `github.queue` and the events show). */
export function publicAction(action: StoredAction): GithubAction {
  const { prepared: _prepared, sendingSince: _since, sentBy: _by, effectUnknown: _unknown, ...shown } = action;
  return shown;
}

/** What an action is stored with; the rest of its row is the queue's. */
export type NewAction = Pick<GithubAction, 'id' | 'workspaceId' | 'kind' | 'repo' | 'taskId' | 'input'>;

/** Stores a new action, queued and due at once: if its first attempt never starts (the app closes), the timer sends it. */
export async function insertAction(db: PGlite, action: NewAction, now: string): Promise<StoredAction> {
  const { rows } = await db.query<ActionRow>(
    `INSERT INTO github_actions (id, workspace_id, kind, repo, task_id, input, state, next_attempt_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $7, $7) RETURNING *`,
    [action.id, action.workspaceId, action.kind, action.repo, action.taskId, action.input, now],
  );
  return toStored(rows[0]!);
}

export async function findAction(db: PGlite, id: string): Promise<StoredAction | null> {
  const { rows } = await db.query<ActionRow>('SELECT * FROM github_actions WHERE id = $1', [id]);
  return rows[0] ? toStored(rows[0]) : null;
}

export async function getAction(db: PGlite, id: string): Promise<StoredAction> {
  const action = await findAction(db, id);
  if (!action) throw new ApiError('NOT_FOUND', `id: no GitHub action ${id} on this device`, { field: 'id', id });
  return action;
}

/** A workspace's actions, newest first (bounded: the queue view shows recent history). */
export async function listActions(db: PGlite, workspaceId: string, limit = 200): Promise<StoredAction[]> {
  const { rows } = await db.query<ActionRow>('SELECT * FROM github_actions WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2', [workspaceId, limit]);
  return rows.map(toStored);
}

/**
 * Marks the action `sending` if it is in one of `from` (one conditional statement, committed before
 * any request goes out); null when it was not (another attempt has it, or it was cancelled or done).
 * While an earlier request's effect is unknown, its time and login are kept: the effect check looks
 * from the FIRST request that may have reached GitHub, by the account that sent it.
 */
export async function claimAction(db: PGlite, id: string, from: readonly GithubActionState[], login: string, now: string): Promise<StoredAction | null> {
  const { rows } = await db.query<ActionRow>(
    `UPDATE github_actions SET state = 'sending',
       sending_since = CASE WHEN effect_unknown AND sending_since IS NOT NULL THEN sending_since ELSE $3 END,
       sent_by = CASE WHEN effect_unknown AND sent_by IS NOT NULL THEN sent_by ELSE $4 END,
       attempts = attempts + 1, next_attempt_at = NULL, updated_at = $3
     WHERE id = $1 AND state = ANY($2::text[]) RETURNING *`,
    [id, from, now, login],
  );
  return rows[0] ? toStored(rows[0]) : null;
}

/** Keeps what the send resolved before its request (committed before the request goes out). */
export async function setPrepared(db: PGlite, id: string, prepared: Record<string, unknown>): Promise<void> {
  await db.query('UPDATE github_actions SET prepared = $2 WHERE id = $1', [id, prepared]);
}

export type Outcome =
  | { state: 'done'; result: NonNullable<GithubAction['result']>; error?: string | null }
  | { state: 'failed'; error: string; effectUnknown: boolean }
  | { state: 'queued'; error: string; nextAttemptAt: string; effectUnknown: boolean };

/** Writes how an attempt ended (the action must be `sending`: this attempt's claim). */
export async function finishAction(db: PGlite, id: string, outcome: Outcome, now: string): Promise<StoredAction> {
  const { rows } = await db.query<ActionRow>(
    `UPDATE github_actions SET state = $2, result = $3, error = $4, next_attempt_at = $5, effect_unknown = $6, updated_at = $7
     WHERE id = $1 AND state = 'sending' RETURNING *`,
    [
      id,
      outcome.state,
      outcome.state === 'done' ? outcome.result : null,
      outcome.error ?? null,
      outcome.state === 'queued' ? outcome.nextAttemptAt : null,
      outcome.state === 'done' ? false : outcome.effectUnknown,
      now,
    ],
  );
  if (!rows[0]) throw new Error(`GitHub action ${id} was not being sent when its attempt ended`);
  return toStored(rows[0]);
}

/** An attempt that could not start (not connected, no longer a writer): stays queued, or fails. */
export async function deferAction(db: PGlite, id: string, outcome: Exclude<Outcome, { state: 'done' }>, now: string): Promise<StoredAction | null> {
  const { rows } = await db.query<ActionRow>(
    `UPDATE github_actions SET state = $2, error = $3, next_attempt_at = $4, attempts = attempts + 1, updated_at = $5
     WHERE id = $1 AND state IN ('queued', 'failed') RETURNING *`,
    [id, outcome.state, outcome.error, outcome.state === 'queued' ? outcome.nextAttemptAt : null, now],
  );
  return rows[0] ? toStored(rows[0]) : null;
}

/** Cancels a queued or failed action; null when it is in another state. */
export async function cancelAction(db: PGlite, id: string, now: string): Promise<StoredAction | null> {
  const { rows } = await db.query<ActionRow>(
    `UPDATE github_actions SET state = 'cancelled', next_attempt_at = NULL, updated_at = $2 WHERE id = $1 AND state IN ('queued', 'failed') RETURNING *`,
    [id, now],
  );
  return rows[0] ? toStored(rows[0]) : null;
}

/**
 * At start: actions left `sending` by a crash, a kill or a close mid-request. Their request may
 * have reached GitHub, so they go back to the queue due now, marked to be checked before any resend.
 */
export async function requeueInterrupted(db: PGlite, now: string): Promise<StoredAction[]> {
  const { rows } = await db.query<ActionRow>(
    `UPDATE github_actions SET state = 'queued', effect_unknown = true, next_attempt_at = $1, updated_at = $1
     WHERE state = 'sending' RETURNING *`,
    [now],
  );
  return rows.map(toStored);
}

/** Ids of queued actions due at `now`, oldest due first (so a branch goes out before a dispatch on it). */
export async function dueActions(db: PGlite, now: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM github_actions WHERE state = 'queued' AND next_attempt_at <= $1 ORDER BY next_attempt_at, created_at, id`,
    [now],
  );
  return rows.map((row) => row.id);
}

/** When the next queued action is due, if any. */
export async function nextDue(db: PGlite): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(`SELECT min(next_attempt_at) AS at FROM github_actions WHERE state = 'queued'`);
  return rows[0]?.at ?? null;
}
