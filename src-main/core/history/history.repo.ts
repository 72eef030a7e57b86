/** Reading the change history (written by history.hook.ts), newest first, with member names. */
import type { PGlite } from '@electric-sql/pglite';
import type { DocStore } from '../sync/doc-store';
import { isoText as iso } from '../db/iso-text';
import type { HistoryEntry } from '../../contract';

export interface HistoryQuery {
  /** `entity_id` for one entity, `project_id` for everything in a project. */
  by: 'entity_id' | 'project_id';
  id: string;
  limit: number;
  before?: string;
}

/** `docs` settles the rows still deferred in the update log first, so every saved change shows. */
export async function readHistory({ db, docs }: { db: PGlite; docs: DocStore }, { by, id, limit, before }: HistoryQuery): Promise<HistoryEntry[]> {
  await docs.settle();
  const { rows } = await db.query<{ entries: HistoryEntry[] }>(
    `SELECT coalesce(json_agg(json_build_object(
        'id', h.seq::text, 'at', ${iso('h.at')}, 'entity', h.entity, 'entityId', h.entity_id,
        'entityLabel', CASE h.entity
          WHEN 'task' THEN coalesce(p.key || '-' || t.number, '')
          WHEN 'stage' THEN coalesce(s.name, '')
          ELSE coalesce(hp.name, '') END,
        'action', h.action, 'field', h.field, 'oldValue', h.old_value::json, 'newValue', h.new_value::json,
        'actor', CASE WHEN m.id IS NULL THEN NULL ELSE json_build_object('id', m.id, 'name', m.name) END,
        'origin', h.origin) ORDER BY h.seq DESC), '[]') AS entries
     FROM (SELECT * FROM change_history WHERE ${by} = $1 AND ($3::bigint IS NULL OR seq < $3::bigint) ORDER BY seq DESC LIMIT $2) h
     LEFT JOIN members m ON m.id = h.actor_id
     LEFT JOIN tasks t ON h.entity = 'task' AND t.id = h.entity_id
     LEFT JOIN projects p ON p.id = t.project_id
     LEFT JOIN stages s ON h.entity = 'stage' AND s.id = h.entity_id
     LEFT JOIN projects hp ON h.entity = 'project' AND hp.id = h.entity_id`,
    [id, limit, before ?? null],
  );
  return rows[0]?.entries ?? [];
}
