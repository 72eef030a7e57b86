/**
 * The change-history save hook: every saved change to a project, stage or task adds rows to
 * `change_history` inside the save transaction — one per changed field (old and new value), one
 * per created entity. Local and remote changes alike, so every replica keeps a history of what it
 * saw and it survives compaction of the update log.
 *
 * Who: a local change names the member of its origin; a remote one the entity's `updatedBy`, which
 * the writing replica stamped in the same update (see doc-store's stampEditor). Concurrent edits
 * of one entity by two people keep one `updatedBy` (last writer wins), so on a third replica one of
 * the two may be credited with both. Renumbering and other system changes name nobody.
 */
import type { Origin } from '../sync/origins';
import { isUuid, storableJson } from '../sync/column-values';
import type { EntityChange, SaveHook, SavedChange } from '../sync/doc-store';
import { insertRows, type Statement } from '../sync/projection';

/** Entities with a history, and the field that labels a created one. */
const labelField = { project: 'name', stage: 'name', task: 'title' } as const;
type HistoryEntity = keyof typeof labelField;
/** Bookkeeping fields: they change with every edit and say nothing of their own. */
const bookkeeping = new Set(['updatedAt', 'updatedBy', 'createdAt', 'createdOn', 'order']);

const columns = ['workspace_id', 'project_id', 'entity', 'entity_id', 'action', 'field', 'old_value', 'new_value', 'actor_id', 'origin', 'at'];

export const changeHistoryHook: SaveHook = {
  name: 'change-history',
  statements(change) {
    const rows: unknown[][] = [];
    for (const entity of change.entities) {
      if (!(entity.entity in labelField) || entity.removed || !isUuid(entity.id)) continue;
      const kind = entity.entity as HistoryEntity;
      const projectId = kind === 'project' ? entity.id : change.room.projectId;
      const actor = actorOf(change.origin, entity);
      const at = timeOf(change, entity);
      const row = (action: 'created' | 'changed', field: string | null, oldValue: unknown, newValue: unknown) =>
        rows.push([change.room.workspaceId, projectId, kind, entity.id, action, field, storableJson(oldValue), storableJson(newValue), actor, change.origin.kind, at]);
      if (entity.created) row('created', null, null, entity.map?.get(labelField[kind]) ?? null);
      else for (const f of entity.fields) if (!bookkeeping.has(f.field)) row('changed', f.field, f.oldValue, f.newValue);
    }
    return rows.length > 0 ? insertRows('change_history', columns, rows) : ([] as Statement[]);
  },
};

function actorOf(origin: Origin, entity: EntityChange): string | null {
  if (origin.kind === 'local') return origin.memberId;
  if (origin.kind !== 'remote') return null;
  const editor = entity.map?.get('updatedBy');
  return isUuid(editor) ? editor : null;
}

/** A remote change happened when its writer stamped it (`updatedAt`), not when it arrived here. */
function timeOf(change: SavedChange, entity: EntityChange): string {
  const stamped = change.origin.kind === 'remote' ? entity.map?.get('updatedAt') : undefined;
  return typeof stamped === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(stamped) && Number.isFinite(Date.parse(stamped)) && Date.parse(stamped) > 0
    ? new Date(Date.parse(stamped)).toISOString()
    : change.at;
}
