/**
 * The Y.Doc → PGlite projection. Each top-level collection of a doc maps to a table; each entity
 * (a Y.Map under the collection) to a row. The same row functions serve the incremental path (only
 * the changed ids) and the full rebuild, so the two cannot drift apart.
 */
import * as Y from 'yjs';
import type { EntityKind } from '../../contract';
import { columnReader, isUuid, type ColumnReader, type ProjectionProblem } from './column-values';
import type { EntityMap } from './fields';
import type { DocKind, Room } from './rooms';

type Row = Record<string, unknown>;

export interface CollectionProjection {
  table: string;
  entity: EntityKind;
  /** The whole map is one entity whose id is the workspace id (the workspace doc's `meta`). */
  single?: boolean;
  /** The row of one entity; `v` reads each field into a value its column can store. */
  row(id: string, map: EntityMap, room: Room, v: ColumnReader): Row;
}

export const projections: Record<DocKind, Record<string, CollectionProjection>> = {
  workspace: {
    meta: {
      table: 'workspaces',
      entity: 'workspace',
      single: true,
      row: (id, m, _room, v) => ({ id, name: v.text(m, 'name'), created_at: v.requiredTimestamp(m, 'createdAt') }),
    },
    members: {
      table: 'members',
      entity: 'member',
      row: (id, m, room, v) => ({ id, workspace_id: room.workspaceId, name: v.text(m, 'name'), color: v.text(m, 'color') }),
    },
    projects: {
      table: 'projects',
      entity: 'project',
      row: (id, m, room, v) => ({
        id,
        workspace_id: room.workspaceId,
        name: v.text(m, 'name'),
        key: v.text(m, 'key'),
        description: v.text(m, 'description'),
        status: v.text(m, 'status', 'planning'),
        client_name: v.text(m, 'clientName'),
        start_date: v.day(m, 'startDate'),
        end_date: v.day(m, 'endDate'),
        deliverables: v.list(m, 'deliverables'),
        notes: v.text(m, 'notes'),
        tags: v.list(m, 'tags'),
        color: v.text(m, 'color'),
        archived_at: v.timestamp(m, 'archivedAt'),
        created_at: v.requiredTimestamp(m, 'createdAt'),
        updated_at: v.requiredTimestamp(m, 'updatedAt'),
        deleted_at: v.timestamp(m, 'deletedAt'),
      }),
    },
  },
  project: {
    stages: {
      table: 'stages',
      entity: 'stage',
      row: (id, m, room, v) => ({
        id,
        project_id: room.projectId,
        name: v.text(m, 'name'),
        order_key: v.text(m, 'order'),
        is_done: v.bool(m, 'isDone'),
        deleted_at: v.timestamp(m, 'deletedAt'),
      }),
    },
    tasks: {
      table: 'tasks',
      entity: 'task',
      row: (id, m, room, v) => ({
        id,
        project_id: room.projectId,
        number: v.int(m, 'number', 0),
        title: v.text(m, 'title'),
        description: v.text(m, 'description'),
        stage_id: v.uuid(m, 'stageId'),
        order_key: v.text(m, 'order'),
        priority: v.text(m, 'priority', 'normal'),
        assignee_ids: v.list(m, 'assigneeIds'),
        labels: v.list(m, 'labels'),
        due_date: v.day(m, 'dueDate'),
        estimate_hours: v.float(m, 'estimateHours'),
        created_at: v.requiredTimestamp(m, 'createdAt'),
        updated_at: v.requiredTimestamp(m, 'updatedAt'),
        deleted_at: v.timestamp(m, 'deletedAt'),
      }),
    },
  },
};

/** One entity's row, for code that needs it outside a save (a write returning what it wrote). */
export function projectRow(collection: CollectionProjection, id: string, map: EntityMap, room: Room): Row {
  return collection.row(id, map, room, columnReader([], collection.entity, id));
}

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
function tableWrites(
  doc: Y.Doc,
  room: Room,
  changed: Iterable<[collection: string, ids: Iterable<string>]>,
  problems: ProjectionProblem[],
): TableWrite[] {
  const byTable = new Map<string, TableWrite>();
  for (const [collection, ids] of changed) {
    const projection = projections[room.kind][collection];
    if (!projection) continue;
    let write = byTable.get(projection.table);
    if (!write) byTable.set(projection.table, (write = { table: projection.table, columns: [], rows: [], deleted: [] }));
    const root = doc.getMap<unknown>(collection);
    for (const id of ids) {
      const map = projection.single ? root : root.get(id);
      // An entity keyed by something that is not an id cannot have a row: it is left out.
      if (!isUuid(id)) {
        problems.push({ entity: projection.entity, id, field: 'id', value: String(id).slice(0, 60), reason: 'is not an id' });
        continue;
      }
      if (!(map instanceof Y.Map) || (projection.single && map.size === 0)) {
        write.deleted.push(id);
        continue;
      }
      const row = projection.row(id, map, room, columnReader(problems, projection.entity, id));
      if (write.columns.length === 0) write.columns = Object.keys(row);
      write.rows.push(Object.values(row));
    }
  }
  return [...byTable.values()];
}

/**
 * The statement pieces that make the projection rows of `changed` match the doc: upserts of live
 * entities, deletes of gone ones. What cannot be stored is reported in `problems` (and stored
 * empty). The caller joins them with the rest of its save (`chain`) and runs them in one transaction.
 */
export function projectionStatements(
  doc: Y.Doc,
  room: Room,
  changed: Iterable<[collection: string, ids: Iterable<string>]>,
  problems: ProjectionProblem[] = [],
): Statement[] {
  const pieces: Statement[] = [];
  for (const write of tableWrites(doc, room, changed, problems)) {
    const { table, columns, rows, deleted } = write;
    const updates = columns.filter((c) => c !== 'id').map((c) => `${c} = EXCLUDED.${c}`).join(', ');
    pieces.push(...insertRows(table, columns, rows, `ON CONFLICT (id) DO UPDATE SET ${updates}`));
    if (deleted.length > 0) pieces.push({ sql: `DELETE FROM ${table} WHERE id = ANY($1::uuid[])`, params: [deleted] });
  }
  return pieces;
}

/** `INSERT INTO table (columns) VALUES …` for many rows, in pieces within the parameter limit. */
export function insertRows(table: string, columns: string[], rows: unknown[][], suffix = ''): Statement[] {
  const pieces: Statement[] = [];
  const perPiece = Math.max(1, Math.floor(maxParams / columns.length));
  for (let at = 0; at < rows.length; at += perPiece) {
    const chunk = rows.slice(at, at + perPiece);
    const values = chunk.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
    pieces.push({ sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')} ${suffix}`.trimEnd(), params: chunk.flat() });
  }
  return pieces;
}

/**
 * Joins pieces (each numbering its parameters from $1) into as few statements as `maxParams`
 * allows: small changes — one edit, with its log append and history — become ONE statement of
 * data-modifying CTEs, which Postgres runs atomically in a single round trip.
 */
export function chain(pieces: Statement[]): Statement[] {
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
