/**
 * Positions in a list (tasks in a stage, stages in a project) are fractional-index keys: a move
 * writes one key between its neighbours', so concurrent moves on different replicas converge
 * without renumbering anyone. Keys compare as plain strings (byte order, COLLATE "C" in SQL);
 * equal keys from concurrent inserts tie-break on id.
 */
import type { PGlite } from '@electric-sql/pglite';
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import { ApiError } from '../../contract';

export interface Placement {
  /** 'tasks' or 'stages' */
  table: 'tasks' | 'stages';
  /** The list: tasks of one stage (`stage_id`), or stages of one project (`project_id`). */
  scope: { column: 'stage_id' | 'project_id'; value: string };
  /** The item being placed, left out of its own neighbours. */
  movingId?: string;
  afterId?: string | null;
  beforeId?: string | null;
}

export async function orderKeyFor(db: PGlite, p: Placement): Promise<string> {
  const live = `${p.scope.column} = $1 AND deleted_at IS NULL AND id <> $2`;
  const params = [p.scope.value, p.movingId ?? '00000000-0000-0000-0000-000000000000'];
  const keyOf = async (id: string, field: string) => {
    const { rows } = await db.query<{ order_key: string }>(
      `SELECT order_key FROM ${p.table} WHERE ${live} AND id = $3`,
      [...params, id],
    );
    if (!rows[0]) throw new ApiError('VALIDATION', `${field}: not an item of the list it is placed in`, { field });
    return rows[0].order_key;
  };
  const neighbour = async (direction: 'after' | 'before', key: string | null) => {
    const op = direction === 'after' ? '>' : '<';
    const order = direction === 'after' ? 'ASC' : 'DESC';
    const { rows } = await db.query<{ order_key: string }>(
      `SELECT order_key FROM ${p.table} WHERE ${live}${key === null ? '' : ` AND order_key ${op} $3`}
       ORDER BY order_key ${order} LIMIT 1`,
      key === null ? params : [...params, key],
    );
    return rows[0]?.order_key ?? null;
  };

  let after = p.afterId ? await keyOf(p.afterId, 'afterId') : null;
  let before = p.beforeId ? await keyOf(p.beforeId, 'beforeId') : null;
  if (after !== null && before !== null && after >= before) before = null; // a stale view: trust afterId
  if (after !== null && before === null) before = await neighbour('after', after);
  else if (before !== null && after === null) after = await neighbour('before', before);
  else if (after === null && before === null) after = await neighbour('before', null);
  // Equal keys (left by concurrent inserts) have no key strictly between them: go past the pair.
  if (after !== null && before !== null && after >= before) before = await neighbour('after', before);
  return generateKeyBetween(after, before);
}

/** `n` keys after the last item of a list (appending several items in order). */
export async function keysAtEnd(db: PGlite, p: Pick<Placement, 'table' | 'scope'>, n: number): Promise<string[]> {
  const { rows } = await db.query<{ order_key: string }>(
    `SELECT order_key FROM ${p.table} WHERE ${p.scope.column} = $1 AND deleted_at IS NULL ORDER BY order_key DESC LIMIT 1`,
    [p.scope.value],
  );
  return generateNKeysBetween(rows[0]?.order_key ?? null, null, n);
}
