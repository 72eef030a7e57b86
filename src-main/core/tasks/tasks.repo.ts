import type { PGlite } from '@electric-sql/pglite';
import { ApiError, type Priority, type Task } from '../../contract';

interface TaskRow {
  id: string;
  project_id: string;
  workspace_id: string;
  project_key: string;
  number: number;
  title: string;
  description: string;
  stage_id: string;
  order_key: string;
  priority: Priority;
  assignee_ids: string[];
  labels: string[];
  due_date: string | null;
  estimate_hours: number | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

const select = `
  SELECT t.id, t.project_id, p.workspace_id, p.key AS project_key, t.number, t.title, t.description, t.stage_id,
         t.order_key, t.priority, t.assignee_ids, t.labels, t.due_date::text AS due_date, t.estimate_hours,
         t.created_at, t.updated_at, t.deleted_at
  FROM tasks t JOIN projects p ON p.id = t.project_id`;

const toTask = (r: TaskRow): Task => ({
  id: r.id,
  projectId: r.project_id,
  workspaceId: r.workspace_id,
  number: r.number,
  key: `${r.project_key}-${r.number}`,
  title: r.title,
  description: r.description,
  stageId: r.stage_id,
  order: r.order_key,
  priority: r.priority,
  assigneeIds: r.assignee_ids,
  labels: r.labels,
  dueDate: r.due_date,
  estimateHours: r.estimate_hours,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  deletedAt: r.deleted_at?.toISOString() ?? null,
});

/** The board query: a project's tasks in stage order, then board order within a stage. */
export async function listTasks(db: PGlite, projectId: string, includeDeleted: boolean): Promise<Task[]> {
  const { rows } = await db.query<TaskRow>(
    `${select} LEFT JOIN stages s ON s.id = t.stage_id
     WHERE t.project_id = $1 AND p.deleted_at IS NULL ${includeDeleted ? '' : 'AND t.deleted_at IS NULL'}
     ORDER BY s.order_key, t.stage_id, t.order_key, t.id`,
    [projectId],
  );
  return rows.map(toTask);
}

/** A task of a live project (deleted tasks included: they can be restored), or NOT_FOUND. */
export async function getTask(db: PGlite, id: string): Promise<Task> {
  const { rows } = await db.query<TaskRow>(`${select} WHERE t.id = $1 AND p.deleted_at IS NULL`, [id]);
  if (!rows[0]) throw new ApiError('NOT_FOUND', `No task with id ${id}`, { id });
  return toTask(rows[0]);
}

export async function getTasks(db: PGlite, ids: string[]): Promise<Task[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<TaskRow>(`${select} WHERE t.id = ANY($1::uuid[]) AND p.deleted_at IS NULL`, [ids]);
  return rows.map(toTask);
}

export async function nextTaskNumber(db: PGlite, projectId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT coalesce(max(number), 0)::int + 1 AS n FROM tasks WHERE project_id = $1', [projectId]);
  return rows[0]?.n ?? 1;
}
