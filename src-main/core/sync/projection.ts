/**
 * The Y.Doc → PGlite projection. Each top-level collection of a doc maps to a table; each entity
 * (a Y.Map under the collection) to a row. The same row functions serve the incremental path (only
 * the changed ids) and the full rebuild, so the two cannot drift apart.
 */
import * as Y from 'yjs';
import type { EntityKind } from '../../contract';
import { ColumnReader, isUuid, type ProjectionProblem } from './column-values';
import type { EntityMap } from './fields';
import type { DocKind, Room } from './rooms';

type Row = Record<string, unknown>;

/** A column read from one field of the entity's map, through the reader that keeps it storable. */
interface Column {
  field: string;
  /** Its Postgres type (rows are inserted as one array per column: `unnest($1::uuid[], …)`). */
  type: string;
  read(v: ColumnReader, map: EntityMap, field: string): unknown;
}

export interface CollectionProjection {
  table: string;
  entity: EntityKind;
  /** The whole map is one entity whose id is the workspace id (the workspace doc's `meta`). */
  single?: boolean;
  /** Columns given by the room (which workspace or project the entity belongs to): uuids. */
  scope(room: Room): Row;
  /** Every other column, by name, with the field it comes from. */
  columns: Record<string, Column>;
}

const text = (field: string, fallback = ''): Column => ({ field, type: 'text', read: (v, m, f) => v.text(m, f, fallback) });
const day = (field: string): Column => ({ field, type: 'date', read: (v, m, f) => v.day(m, f) });
const time = (field: string): Column => ({ field, type: 'timestamptz', read: (v, m, f) => v.timestamp(m, f) });
const requiredTime = (field: string): Column => ({ field, type: 'timestamptz', read: (v, m, f) => v.requiredTimestamp(m, f) });
const list = (field: string): Column => ({ field, type: 'jsonb', read: (v, m, f) => v.list(m, f) });
const flag = (field: string): Column => ({ field, type: 'bool', read: (v, m, f) => v.bool(m, f) });
const id = (field: string): Column => ({ field, type: 'uuid', read: (v, m, f) => v.uuid(m, f) });
const whole = (field: string, fallback: number): Column => ({ field, type: 'int4', read: (v, m, f) => v.int(m, f, fallback) });
const number = (field: string): Column => ({ field, type: 'float8', read: (v, m, f) => v.float(m, f) });
const json = (field: string): Column => ({ field, type: 'jsonb', read: (v, m, f) => v.json(m, f) });
const optionalId = (field: string): Column => ({ field, type: 'uuid', read: (v, m, f) => (m.get(f) == null ? null : v.uuid(m, f)) });
const nullableText = (field: string): Column => ({ field, type: 'text', read: (v, m, f) => (m.get(f) == null ? null : v.text(m, f)) });

export const projections: Record<DocKind, Record<string, CollectionProjection>> = {
  workspace: {
    meta: {
      table: 'workspaces',
      entity: 'workspace',
      single: true,
      scope: () => ({}),
      columns: { name: text('name'), created_at: requiredTime('createdAt') },
    },
    members: {
      table: 'members',
      entity: 'member',
      scope: (room) => ({ workspace_id: room.workspaceId }),
      columns: { name: text('name'), color: text('color') },
    },
    projects: {
      table: 'projects',
      entity: 'project',
      scope: (room) => ({ workspace_id: room.workspaceId }),
      columns: {
        name: text('name'),
        key: text('key'),
        description: text('description'),
        status: text('status', 'planning'),
        client_name: text('clientName'),
        start_date: day('startDate'),
        end_date: day('endDate'),
        deliverables: list('deliverables'),
        notes: text('notes'),
        tags: list('tags'),
        color: text('color'),
        archived_at: time('archivedAt'),
        created_at: requiredTime('createdAt'),
        updated_at: requiredTime('updatedAt'),
        deleted_at: time('deletedAt'),
      },
    },
    // Scheduled jobs (core/jobs): the definition, and the summary its runner writes back.
    jobs: {
      table: 'jobs',
      entity: 'job',
      scope: (room) => ({ workspace_id: room.workspaceId }),
      columns: {
        project_id: optionalId('projectId'),
        name: text('name'),
        type: text('type'),
        params: json('params'),
        schedule: text('schedule'),
        timezone: text('timezone', 'UTC'),
        enabled: flag('enabled'),
        retry_max_attempts: whole('retryMaxAttempts', 1),
        retry_backoff_seconds: whole('retryBackoffSeconds', 60),
        timeout_seconds: whole('timeoutSeconds', 3600),
        catch_up: text('catchUp', 'skip'),
        runner: text('runner'),
        last_run_at: time('lastRunAt'),
        last_status: nullableText('lastStatus'),
        next_run_at: time('nextRunAt'),
        consecutive_failures: whole('consecutiveFailures', 0),
        run_request: json('runRequest'),
        last_run_request: json('lastRunRequest'),
        created_at: requiredTime('createdAt'),
        updated_at: requiredTime('updatedAt'),
        deleted_at: time('deletedAt'),
      },
    },
    // Repos linked to projects (core/integrations/github/repo-links-doc.ts).
    githubLinks: {
      table: 'github_links',
      entity: 'githubLink',
      scope: (room) => ({ workspace_id: room.workspaceId }),
      columns: {
        project_id: optionalId('projectId'),
        repo: text('repo'),
        linked_by: optionalId('linkedBy'),
        created_at: requiredTime('createdAt'),
        updated_at: requiredTime('updatedAt'),
        deleted_at: time('deletedAt'),
      },
    },
    // Outgoing webhook endpoints (core/webhooks/endpoints-doc.ts); their secrets are local and sealed.
    webhookEndpoints: {
      table: 'webhook_endpoints',
      entity: 'webhookEndpoint',
      scope: (room) => ({ workspace_id: room.workspaceId }),
      columns: {
        url: text('url'),
        description: text('description'),
        events: list('events'),
        enabled: flag('enabled'),
        disabled_reason: nullableText('disabledReason'),
        created_by: optionalId('createdBy'),
        created_at: requiredTime('createdAt'),
        updated_at: requiredTime('updatedAt'),
        deleted_at: time('deletedAt'),
      },
    },
    // Vercel projects linked to projects (core/integrations/vercel/project-links-doc.ts).
    vercelLinks: {
      table: 'vercel_links',
      entity: 'vercelLink',
      scope: (room) => ({ workspace_id: room.workspaceId }),
      columns: {
        project_id: optionalId('projectId'),
        vercel_project_id: text('vercelProjectId'),
        vercel_project_name: text('vercelProjectName'),
        repo: nullableText('repo'),
        runner: text('runner'),
        linked_by: optionalId('linkedBy'),
        created_at: requiredTime('createdAt'),
        updated_at: requiredTime('updatedAt'),
        deleted_at: time('deletedAt'),
      },
    },
  },
  project: {
    stages: {
      table: 'stages',
      entity: 'stage',
      scope: (room) => ({ project_id: room.projectId }),
      columns: { name: text('name'), order_key: text('order'), is_done: flag('isDone'), deleted_at: time('deletedAt') },
    },
    tasks: {
      table: 'tasks',
      entity: 'task',
      scope: (room) => ({ project_id: room.projectId }),
      columns: {
        number: whole('number', 0),
        title: text('title'),
        description: text('description'),
        stage_id: id('stageId'),
        order_key: text('order'),
        priority: text('priority', 'normal'),
        assignee_ids: list('assigneeIds'),
        labels: list('labels'),
        due_date: day('dueDate'),
        estimate_hours: number('estimateHours'),
        deploy: json('deploy'),
        created_at: requiredTime('createdAt'),
        updated_at: requiredTime('updatedAt'),
        deleted_at: time('deletedAt'),
      },
    },
    // A branch, commit, pull request or issue naming a task (core/integrations/github/task-links-doc.ts).
    githubTaskLinks: {
      table: 'github_task_links',
      entity: 'githubTaskLink',
      scope: (room) => ({ project_id: room.projectId }),
      columns: {
        task_id: optionalId('taskId'),
        repo: text('repo'),
        kind: text('kind'),
        ref: text('ref'),
        title: text('title'),
        url: text('url'),
        state: text('state'),
        created_at: requiredTime('createdAt'),
        updated_at: requiredTime('updatedAt'),
        deleted_at: time('deletedAt'),
      },
    },
    // A task moved by a pull request (core/integrations/github/task-moves.ts).
    githubMoves: {
      table: 'github_task_moves',
      entity: 'githubMove',
      scope: (room) => ({ project_id: room.projectId }),
      columns: {
        task_id: optionalId('taskId'),
        repo: text('repo'),
        pull: whole('pull', 0),
        pull_url: text('pullUrl'),
        pull_title: text('pullTitle'),
        rule: text('rule'),
        from_stage_id: optionalId('fromStageId'),
        to_stage_id: optionalId('toStageId'),
        undone_at: time('undoneAt'),
        created_at: requiredTime('createdAt'),
        updated_at: requiredTime('updatedAt'),
      },
    },
  },
};

/** An entity's whole row: its id, the room's columns, then each field's. */
function rowOf(projection: CollectionProjection, id: string, map: EntityMap, room: Room, v: ColumnReader): Row {
  const row: Row = { id, ...projection.scope(room) };
  for (const [column, { field, read }] of columnsOf(projection)) row[column] = read(v, map, field);
  return row;
}

const columnLists = new WeakMap<CollectionProjection, [string, Column][]>();
/** A projection's columns as a list, made once (rows are built thousands at a time in a merge). */
function columnsOf(projection: CollectionProjection): [string, Column][] {
  let list = columnLists.get(projection);
  if (!list) columnLists.set(projection, (list = Object.entries(projection.columns)));
  return list;
}

/** One entity's row, for code that needs it outside a save (a write returning what it wrote). */
export function projectRow(collection: CollectionProjection, id: string, map: EntityMap, room: Room): Row {
  return rowOf(collection, id, map, room, new ColumnReader([], collection.entity, id));
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

/**
 * Which fields of an entity changed, when only those columns need writing; null for a whole row
 * (a new entity, or a change too big for one UPDATE each).
 */
export type ChangedFields = (collection: string, id: string) => { has(field: string): boolean } | null;

/** The rows to upsert and the ids to delete in one table, for a set of changed entities. */
interface TableWrite {
  table: string;
  columns: string[];
  types: string[];
  rows: unknown[][];
  deleted: string[];
  /** Entities of which only some columns changed: `UPDATE … SET` those. */
  updates: { id: string; columns: string[]; values: unknown[] }[];
}

/** Builds the rows of `ids` (by collection) from the doc: upserts for live entities, deletes for gone ones. */
function tableWrites(
  doc: Y.Doc,
  room: Room,
  changed: Iterable<[collection: string, ids: Iterable<string>]>,
  problems: ProjectionProblem[],
  changedFields?: ChangedFields,
): TableWrite[] {
  const byTable = new Map<string, TableWrite>();
  for (const [collection, ids] of changed) {
    const projection = projections[room.kind][collection];
    if (!projection) continue;
    let write = byTable.get(projection.table);
    if (!write) byTable.set(projection.table, (write = { table: projection.table, columns: [], types: [], rows: [], deleted: [], updates: [] }));
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
      // (Not for the single-map entity: its first fields create its row.)
      const fields = projection.single ? null : changedFields?.(collection, id);
      if (fields) {
        // Only some fields changed: only their columns are written (an UPDATE, not a whole-row upsert).
        const v = new ColumnReader(problems, projection.entity, id);
        const columns = columnsOf(projection).filter(([, { field }]) => fields.has(field));
        if (columns.length > 0) write.updates.push({ id, columns: columns.map(([c]) => c), values: columns.map(([, c]) => c.read(v, map, c.field)) });
        continue;
      }
      const row = rowOf(projection, id, map, room, new ColumnReader(problems, projection.entity, id));
      if (write.columns.length === 0) {
        write.columns = Object.keys(row);
        const types = new Map(columnsOf(projection).map(([column, { type }]) => [column, type]));
        write.types = write.columns.map((column) => types.get(column) ?? 'uuid'); // id and the room's columns
      }
      write.rows.push(Object.values(row));
    }
  }
  return [...byTable.values()];
}

/**
 * The statement pieces that make the projection rows of `changed` match the doc: upserts of live
 * entities (or UPDATEs of the columns whose fields changed, where `changedFields` says), deletes
 * of gone ones. What cannot be stored is reported in `problems` (and stored empty). The caller
 * joins them with the rest of its save (`chain`) and runs them in one transaction.
 */
export function projectionStatements(
  doc: Y.Doc,
  room: Room,
  changed: Iterable<[collection: string, ids: Iterable<string>]>,
  problems: ProjectionProblem[] = [],
  changedFields?: ChangedFields,
): Statement[] {
  const pieces: Statement[] = [];
  for (const write of tableWrites(doc, room, changed, problems, changedFields)) {
    const { table, columns, types, rows, deleted } = write;
    for (const u of write.updates) {
      pieces.push({ sql: `UPDATE ${table} SET ${u.columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, params: [u.id, ...u.values] });
    }
    const updates = columns.filter((c) => c !== 'id').map((c) => `${c} = EXCLUDED.${c}`).join(', ');
    if (rows.length > 0) pieces.push(insertRows(table, columns, types, rows, `ON CONFLICT (id) DO UPDATE SET ${updates}`));
    if (deleted.length > 0) pieces.push({ sql: `DELETE FROM ${table} WHERE id = ANY($1::uuid[])`, params: [deleted] });
  }
  return pieces;
}

/** Up to this many rows go in as VALUES; more as arrays (see insertRows). */
const fewRows = 8;

/**
 * `INSERT INTO table (columns) …` for any number of rows. A few rows (a person's edit) go in as
 * `VALUES ($1, …)`; many (a merge) as one array per column, `SELECT * FROM unnest($1::uuid[], …)`,
 * so thousands of rows cost a handful of parameters instead of one per value (PGlite converts
 * parameters one by one in JS; the 65,535-parameter limit would split them).
 */
export function insertRows(table: string, columns: string[], types: string[], rows: unknown[][], suffix = ''): Statement {
  const into = `INSERT INTO ${table} (${columns.join(', ')})`;
  if (rows.length <= fewRows) {
    const values = rows.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}::${types[c]}`).join(', ')})`);
    return { sql: `${into} VALUES ${values.join(', ')} ${suffix}`.trimEnd(), params: rows.flat() };
  }
  const arrays = columns.map((_, c) => rows.map((row) => row[c]));
  const unnest = types.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
  return { sql: `${into} SELECT * FROM unnest(${unnest}) ${suffix}`.trimEnd(), params: arrays };
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
