/**
 * What a report export contains: a project's (or a whole workspace's) live projects and tasks,
 * read from the replica's projection tables in keyset-paged batches, so a 10,000-task export never
 * holds every row at once and other work (people's writes) gets the database between batches.
 * Each table names its columns once; the CSV, JSON and XLSX writers all follow that list.
 */
import type { PGlite } from '@electric-sql/pglite';
import { isoText as iso } from '../db/iso-text';

export type ReportValue = string | number | boolean | string[] | null;
export type ReportRow = Record<string, ReportValue>;

export interface ReportColumn {
  /** The JSON key (camelCase), also the row's field. */
  key: string;
  /** The CSV header and XLSX column title. */
  header: string;
}

export interface ReportScope {
  workspaceId: string;
  /** One project, or null for every live project of the workspace. */
  projectId: string | null;
}

export interface ReportTable {
  name: 'projects' | 'tasks';
  title: string;
  columns: ReportColumn[];
  count(db: PGlite, scope: ReportScope): Promise<number>;
  batches(db: PGlite, scope: ReportScope, batchSize: number): AsyncGenerator<ReportRow[]>;
}

const projectColumns: ReportColumn[] = [
  { key: 'key', header: 'Key' },
  { key: 'name', header: 'Name' },
  { key: 'status', header: 'Status' },
  { key: 'client', header: 'Client' },
  { key: 'startDate', header: 'Start date' },
  { key: 'endDate', header: 'End date' },
  { key: 'tags', header: 'Tags' },
  { key: 'openTasks', header: 'Open tasks' },
  { key: 'doneTasks', header: 'Done tasks' },
  { key: 'archivedAt', header: 'Archived at' },
  { key: 'createdAt', header: 'Created at' },
  { key: 'updatedAt', header: 'Updated at' },
  { key: 'description', header: 'Description' },
  { key: 'id', header: 'Id' },
];

const taskColumns: ReportColumn[] = [
  { key: 'key', header: 'Key' },
  { key: 'project', header: 'Project' },
  { key: 'title', header: 'Title' },
  { key: 'stage', header: 'Stage' },
  { key: 'done', header: 'Done' },
  { key: 'priority', header: 'Priority' },
  { key: 'assignees', header: 'Assignees' },
  { key: 'labels', header: 'Labels' },
  { key: 'dueDate', header: 'Due date' },
  { key: 'estimateHours', header: 'Estimate (hours)' },
  { key: 'createdAt', header: 'Created at' },
  { key: 'updatedAt', header: 'Updated at' },
  { key: 'description', header: 'Description' },
  { key: 'id', header: 'Id' },
];

const liveProjects = 'p.workspace_id = $1 AND p.deleted_at IS NULL AND ($2::uuid IS NULL OR p.id = $2::uuid)';
const scopeArgs = (scope: ReportScope) => [scope.workspaceId, scope.projectId];

/** Projects are few (one batch of them is the whole workspace in practice), but paged all the same. */
export const projectsTable: ReportTable = {
  name: 'projects',
  title: 'Projects',
  columns: projectColumns,
  async count(db, scope) {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM projects p WHERE ${liveProjects}`, scopeArgs(scope));
    return rows[0]?.n ?? 0;
  },
  async *batches(db, scope, batchSize) {
    let after: { key: string; id: string } | null = null;
    for (;;) {
      const { rows } = await db.query<{ row: ReportRow & { key: string; id: string } }>(
        `SELECT json_build_object(
           'key', p.key, 'name', p.name, 'status', p.status, 'client', p.client_name,
           'startDate', p.start_date::text, 'endDate', p.end_date::text, 'tags', p.tags,
           'openTasks', (SELECT count(*) FROM tasks t LEFT JOIN stages s ON s.id = t.stage_id
                         WHERE t.project_id = p.id AND t.deleted_at IS NULL AND NOT coalesce(s.is_done, false))::int,
           'doneTasks', (SELECT count(*) FROM tasks t JOIN stages s ON s.id = t.stage_id
                         WHERE t.project_id = p.id AND t.deleted_at IS NULL AND s.is_done)::int,
           'archivedAt', ${iso('p.archived_at')}, 'createdAt', ${iso('p.created_at')}, 'updatedAt', ${iso('p.updated_at')},
           'description', p.description, 'id', p.id) AS row
         FROM projects p
         WHERE ${liveProjects} AND ($3::text IS NULL OR (p.key, p.id) > ($3::text, $4::uuid))
         ORDER BY p.key, p.id LIMIT $5`,
        [...scopeArgs(scope), after?.key ?? null, after?.id ?? null, batchSize],
      );
      if (rows.length === 0) return;
      yield rows.map((r) => r.row);
      const last: { key: string; id: string } = rows[rows.length - 1]!.row;
      after = { key: last.key, id: last.id };
      if (rows.length < batchSize) return;
    }
  },
};

/** Tasks by project key, then number: the order people read `WEB-1, WEB-2, …` in. */
export const tasksTable: ReportTable = {
  name: 'tasks',
  title: 'Tasks',
  columns: taskColumns,
  async count(db, scope) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM tasks t JOIN projects p ON p.id = t.project_id WHERE ${liveProjects} AND t.deleted_at IS NULL`,
      scopeArgs(scope),
    );
    return rows[0]?.n ?? 0;
  },
  async *batches(db, scope, batchSize) {
    let after: { projectKey: string; number: number; id: string } | null = null;
    for (;;) {
      const { rows } = await db.query<{ project_key: string; number: number; row: ReportRow & { id: string } }>(
        `SELECT p.key AS project_key, t.number, json_build_object(
           'key', p.key || '-' || t.number, 'project', p.name, 'title', t.title, 'stage', s.name,
           'done', coalesce(s.is_done, false), 'priority', t.priority,
           'assignees', (SELECT coalesce(json_agg(m.name ORDER BY m.name), '[]'::json)
                         FROM jsonb_array_elements_text(t.assignee_ids) a JOIN members m ON m.id::text = a.value),
           'labels', t.labels, 'dueDate', t.due_date::text, 'estimateHours', t.estimate_hours,
           'createdAt', ${iso('t.created_at')}, 'updatedAt', ${iso('t.updated_at')},
           'description', t.description, 'id', t.id) AS row
         FROM tasks t JOIN projects p ON p.id = t.project_id LEFT JOIN stages s ON s.id = t.stage_id
         WHERE ${liveProjects} AND t.deleted_at IS NULL
           AND ($3::text IS NULL OR (p.key, t.number, t.id) > ($3::text, $4::int, $5::uuid))
         ORDER BY p.key, t.number, t.id LIMIT $6`,
        [...scopeArgs(scope), after?.projectKey ?? null, after?.number ?? null, after?.id ?? null, batchSize],
      );
      if (rows.length === 0) return;
      yield rows.map((r) => r.row);
      const last: { project_key: string; number: number; row: { id: string } } = rows[rows.length - 1]!;
      after = { projectKey: last.project_key, number: last.number, id: last.row.id };
      if (rows.length < batchSize) return;
    }
  },
};

export const reportTables: ReportTable[] = [projectsTable, tasksTable];
