/**
 * The Y.Doc → PGlite projection. Each top-level collection of a doc maps to a table; each entity
 * (a Y.Map under the collection) to a row. The same row functions serve the incremental path (only
 * the changed ids) and the full rebuild, so the two cannot drift apart.
 */
import type { Transaction } from '@electric-sql/pglite';
import * as Y from 'yjs';
import type { EntityKind } from '../../contract';
import { list, nullableStr, num, str, text, bool, type EntityMap } from './fields';
import type { DocKind, Room } from './rooms';

type Row = Record<string, unknown>;

export interface CollectionProjection {
  table: string;
  entity: EntityKind;
  /** The whole map is one entity whose id is the workspace id (the workspace doc's `meta`). */
  single?: boolean;
  row(id: string, map: EntityMap, room: Room): Row;
}

const json = (value: unknown) => JSON.stringify(value);

export const projections: Record<DocKind, Record<string, CollectionProjection>> = {
  workspace: {
    meta: {
      table: 'workspaces',
      entity: 'workspace',
      single: true,
      row: (id, m) => ({ id, name: str(m, 'name'), created_at: str(m, 'createdAt') }),
    },
    members: {
      table: 'members',
      entity: 'member',
      row: (id, m, room) => ({ id, workspace_id: room.workspaceId, name: str(m, 'name'), color: str(m, 'color') }),
    },
    projects: {
      table: 'projects',
      entity: 'project',
      row: (id, m, room) => ({
        id,
        workspace_id: room.workspaceId,
        name: str(m, 'name'),
        key: str(m, 'key'),
        description: text(m, 'description'),
        status: str(m, 'status', 'planning'),
        client_name: str(m, 'clientName'),
        start_date: nullableStr(m, 'startDate'),
        end_date: nullableStr(m, 'endDate'),
        deliverables: json(list(m, 'deliverables')),
        notes: text(m, 'notes'),
        tags: json(list(m, 'tags')),
        color: str(m, 'color'),
        archived_at: nullableStr(m, 'archivedAt'),
        created_at: str(m, 'createdAt'),
        updated_at: str(m, 'updatedAt'),
        deleted_at: nullableStr(m, 'deletedAt'),
      }),
    },
  },
  project: {
    stages: {
      table: 'stages',
      entity: 'stage',
      row: (id, m, room) => ({
        id,
        project_id: room.projectId,
        name: str(m, 'name'),
        order_key: str(m, 'order'),
        is_done: bool(m, 'isDone'),
        deleted_at: nullableStr(m, 'deletedAt'),
      }),
    },
    tasks: {
      table: 'tasks',
      entity: 'task',
      row: (id, m, room) => ({
        id,
        project_id: room.projectId,
        number: num(m, 'number') ?? 0,
        title: str(m, 'title'),
        description: text(m, 'description'),
        stage_id: str(m, 'stageId'),
        order_key: str(m, 'order'),
        priority: str(m, 'priority', 'normal'),
        assignee_ids: json(list(m, 'assigneeIds')),
        labels: json(list(m, 'labels')),
        due_date: nullableStr(m, 'dueDate'),
        estimate_hours: num(m, 'estimateHours'),
        created_at: str(m, 'createdAt'),
        updated_at: str(m, 'updatedAt'),
        deleted_at: nullableStr(m, 'deletedAt'),
      }),
    },
  },
};

export const projectionTables = [
  ...new Set(Object.values(projections).flatMap((byName) => Object.values(byName).map((c) => c.table))),
];

const upsertSql = new Map<string, string>();

function upsert(table: string, columns: string[]): string {
  const cacheKey = `${table}:${columns.join(',')}`;
  let sql = upsertSql.get(cacheKey);
  if (!sql) {
    const params = columns.map((_, i) => `$${i + 1}`).join(', ');
    const updates = columns.filter((c) => c !== 'id').map((c) => `${c} = EXCLUDED.${c}`).join(', ');
    sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${params}) ON CONFLICT (id) DO UPDATE SET ${updates}`;
    upsertSql.set(cacheKey, sql);
  }
  return sql;
}

/** Writes one entity's row (or removes it when the entity is gone from the doc). */
export async function projectEntity(
  tx: Pick<Transaction, 'query'>,
  doc: Y.Doc,
  room: Room,
  collection: string,
  id: string,
): Promise<void> {
  const projection = projections[room.kind][collection];
  if (!projection) return;
  const root = doc.getMap<unknown>(collection);
  const map = projection.single ? root : root.get(id);
  if (!(map instanceof Y.Map) || (projection.single && map.size === 0)) {
    await tx.query(`DELETE FROM ${projection.table} WHERE id = $1`, [id]);
    return;
  }
  const row = projection.row(id, map, room);
  const columns = Object.keys(row);
  await tx.query(upsert(projection.table, columns), Object.values(row));
}

/** Every entity id in a doc, by collection (for a full rebuild). */
export function entityIds(doc: Y.Doc, room: Room): [collection: string, ids: string[]][] {
  return Object.entries(projections[room.kind]).map(([collection, projection]) => [
    collection,
    projection.single ? [room.workspaceId] : [...doc.getMap<unknown>(collection).keys()],
  ]);
}
