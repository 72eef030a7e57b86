/**
 * The change-history save hook: every saved change to a project, stage or task adds rows to
 * `change_history` — one per changed field (old and new value), one per created entity — captured
 * in the save transaction as rows deferred into the change's log row and settled into the table
 * before anyone reads it or the log is compacted (see DeferredRows). Local and remote changes
 * alike, so every replica keeps a history of what it saw and it survives compaction of the log.
 *
 * Who: the change's editor (doc-store.ts): for a local change the member of its origin; for a
 * remote one the member whose replica wrote the change's items (the doc's `editors` map names
 * each Yjs client). Renumbering and other system changes name nobody and count as the system's,
 * on every replica.
 */
import { isUuid, storableJson, storableTimestamp } from '../sync/column-values';
import { SYSTEM_EDITOR, type EntityChange, type SaveHook, type SavedChange } from '../sync/doc-store';

/** Entities with a history, and the field that labels a created one. */
const labelField = { project: 'name', stage: 'name', task: 'title' } as const;
type HistoryEntity = keyof typeof labelField;
/** Bookkeeping fields: they change with every edit and say nothing of their own. */
const bookkeeping = new Set(['updatedAt', 'createdAt', 'createdOn', 'order']);

const columns = ['project_id', 'entity', 'entity_id', 'action', 'field', 'old_value', 'new_value', 'actor_id', 'origin', 'at'];
const types = ['uuid', 'text', 'uuid', 'text', 'text', 'text', 'text', 'uuid', 'text', 'timestamptz'];

export const changeHistoryHook: SaveHook = {
  name: 'change-history',
  deferred: { table: 'change_history', columns, types, rows: historyRows },
};

function historyRows(change: SavedChange): unknown[][] {
  const rows: unknown[][] = [];
  for (const entity of change.entities) {
    if (!(entity.entity in labelField) || entity.removed || !isUuid(entity.id)) continue;
    const kind = entity.entity as HistoryEntity;
    const projectId = kind === 'project' ? entity.id : change.room.projectId;
    const actor = isUuid(entity.editor) ? entity.editor : null;
    const origin = entity.editor === SYSTEM_EDITOR ? 'system' : change.origin.kind;
    const at = timeOf(change, entity);
    const row = (action: 'created' | 'changed', field: string | null, oldValue: unknown, newValue: unknown) =>
      rows.push([projectId, kind, entity.id, action, field, storableJson(oldValue), storableJson(newValue), actor, origin, at]);
    if (entity.created) row('created', null, null, entity.map?.get(labelField[kind]) ?? null);
    else for (const f of entity.fields) if (!bookkeeping.has(f.field)) row('changed', f.field, f.oldValue, f.newValue);
  }
  return rows;
}

/** A remote change happened when its writer stamped it (`updatedAt`), not when it arrived here. */
function timeOf(change: SavedChange, entity: EntityChange): string {
  const stamped = change.origin.kind === 'remote' ? entity.map?.get('updatedAt') : undefined;
  return (typeof stamped === 'string' && storableTimestamp(stamped)) || change.at;
}
