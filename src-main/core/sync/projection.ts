/**
 * The Y.Doc → PGlite projection. Each top-level collection of a doc maps to a table; each entity
 * (a Y.Map under the collection) to a row. The same row functions serve the incremental path (only
 * the changed ids) and the full rebuild, so the two cannot drift apart.
 */
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

/** One SQL statement and its parameters. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** Bind parameters per statement: well under Postgres' limit of 65,535. */
const maxParams = 30_000;

/** The rows to upsert and the ids to delete in one table, for a set of changed entities. */
interface TableWrite {
  table: string;
  columns: string[];
  rows: unknown[][];
  deleted: string[];
}

/** Builds the rows of `ids` (by collection) from the doc: upserts for live entities, deletes for gone ones. */
function tableWrites(doc: Y.Doc, room: Room, changed: Iterable<[collection: string, ids: Iterable<string>]>): TableWrite[] {
  const byTable = new Map<string, TableWrite>();
  for (const [collection, ids] of changed) {
    const projection = projections[room.kind][collection];
    if (!projection) continue;
    let write = byTable.get(projection.table);
    if (!write) byTable.set(projection.table, (write = { table: projection.table, columns: [], rows: [], deleted: [] }));
    const root = doc.getMap<unknown>(collection);
    for (const id of ids) {
      const map = projection.single ? root : root.get(id);
      if (!(map instanceof Y.Map) || (projection.single && map.size === 0)) {
        write.deleted.push(id);
        continue;
      }
      const row = projection.row(id, map, room);
      if (write.columns.length === 0) write.columns = Object.keys(row);
      write.rows.push(Object.values(row));
    }
  }
  return [...byTable.values()];
}

/**
 * The statements that make the projection rows of `changed` match the doc, preceded by `first`
 * (the update-log append) when given. Small changes — one edit — become ONE statement: the pieces
 * are chained as data-modifying CTEs (`WITH a AS (INSERT …), b AS (INSERT … ON CONFLICT …) DELETE …`),
 * which Postgres runs atomically and in a single round trip. Large ones (a sync bringing thousands
 * of entities, a rebuild) are split into several statements that the caller runs in one transaction.
 */
export function projectionStatements(
  doc: Y.Doc,
  room: Room,
  changed: Iterable<[collection: string, ids: Iterable<string>]>,
  first?: Statement,
): Statement[] {
  const pieces: Statement[] = first ? [first] : [];
  for (const write of tableWrites(doc, room, changed)) {
    const { table, columns, rows, deleted } = write;
    if (rows.length > 0) {
      const perPiece = Math.max(1, Math.floor(maxParams / columns.length));
      const updates = columns.filter((c) => c !== 'id').map((c) => `${c} = EXCLUDED.${c}`).join(', ');
      for (let at = 0; at < rows.length; at += perPiece) {
        const chunk = rows.slice(at, at + perPiece);
        const values = chunk.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
        pieces.push({
          sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')} ON CONFLICT (id) DO UPDATE SET ${updates}`,
          params: chunk.flat(),
        });
      }
    }
    if (deleted.length > 0) pieces.push({ sql: `DELETE FROM ${table} WHERE id = ANY($1::uuid[])`, params: [deleted] });
  }
  return chain(pieces);
}

/** Joins pieces (each numbering its parameters from $1) into as few statements as `maxParams` allows. */
function chain(pieces: Statement[]): Statement[] {
  const statements: Statement[] = [];
  let group: Statement[] = [];
  let count = 0;
  const close = () => {
    if (group.length === 0) return;
    if (group.length === 1) statements.push(group[0]!);
    else {
      let offset = 0;
      const parts = group.map((piece) => {
        const sql = offset === 0 ? piece.sql : piece.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
        offset += piece.params.length;
        return sql;
      });
      const last = parts.pop()!;
      statements.push({
        sql: `WITH ${parts.map((sql, i) => `w${i} AS (${sql})`).join(', ')} ${last}`,
        params: group.flatMap((piece) => piece.params),
      });
    }
    group = [];
    count = 0;
  };
  for (const piece of pieces) {
    if (count + piece.params.length > maxParams) close();
    group.push(piece);
    count += piece.params.length;
  }
  close();
  return statements;
}

/** Every entity id in a doc, by collection (for a full rebuild). */
export function entityIds(doc: Y.Doc, room: Room): [collection: string, ids: string[]][] {
  return Object.entries(projections[room.kind]).map(([collection, projection]) => [
    collection,
    projection.single ? [room.workspaceId] : [...doc.getMap<unknown>(collection).keys()],
  ]);
}
