import type { PGlite } from '@electric-sql/pglite';
import { ApiError, type Deliverable, type Project, type ProjectStatus } from '../../contract';

interface ProjectRow {
  id: string;
  workspace_id: string;
  name: string;
  key: string;
  description: string;
  status: ProjectStatus;
  client_name: string;
  start_date: string | null;
  end_date: string | null;
  deliverables: Deliverable[];
  notes: string;
  tags: string[];
  color: string;
  favorite: boolean;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
  task_count: number;
  done_task_count: number;
}

const select = `
  SELECT p.id, p.workspace_id, p.name, p.key, p.description, p.status, p.client_name,
         p.start_date::text AS start_date, p.end_date::text AS end_date, p.deliverables, p.notes, p.tags,
         p.color, p.archived_at, p.created_at, p.updated_at,
         (f.project_id IS NOT NULL) AS favorite,
         (SELECT count(*) FROM tasks t WHERE t.project_id = p.id AND t.deleted_at IS NULL)::int AS task_count,
         (SELECT count(*) FROM tasks t JOIN stages s ON s.id = t.stage_id
           WHERE t.project_id = p.id AND t.deleted_at IS NULL AND s.is_done)::int AS done_task_count
  FROM projects p LEFT JOIN favorites f ON f.project_id = p.id`;

const toProject = (r: ProjectRow): Project => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  key: r.key,
  description: r.description,
  status: r.status,
  clientName: r.client_name,
  startDate: r.start_date,
  endDate: r.end_date,
  deliverables: r.deliverables,
  notes: r.notes,
  tags: r.tags,
  color: r.color,
  favorite: r.favorite,
  archivedAt: r.archived_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  taskCount: r.task_count,
  doneTaskCount: r.done_task_count,
});

export async function listProjects(db: PGlite, workspaceId: string, includeArchived: boolean): Promise<Project[]> {
  const { rows } = await db.query<ProjectRow>(
    `${select} WHERE p.workspace_id = $1 AND p.deleted_at IS NULL ${includeArchived ? '' : 'AND p.archived_at IS NULL'}
     ORDER BY favorite DESC, lower(p.name), p.id`,
    [workspaceId],
  );
  return rows.map(toProject);
}

/** A live (not deleted) project, or NOT_FOUND. */
export async function getProject(db: PGlite, id: string): Promise<Project> {
  const { rows } = await db.query<ProjectRow>(`${select} WHERE p.id = $1 AND p.deleted_at IS NULL`, [id]);
  if (!rows[0]) throw new ApiError('NOT_FOUND', `No project with id ${id}`, { id });
  return toProject(rows[0]);
}

/** Whether another live project of the workspace already uses `key`. */
export async function keyTaken(db: PGlite, workspaceId: string, key: string, exceptId?: string): Promise<boolean> {
  const { rows } = await db.query(
    'SELECT 1 FROM projects WHERE workspace_id = $1 AND key = $2 AND deleted_at IS NULL AND id <> $3',
    [workspaceId, key, exceptId ?? '00000000-0000-0000-0000-000000000000'],
  );
  return rows.length > 0;
}

export async function setFavorite(db: PGlite, projectId: string, favorite: boolean): Promise<void> {
  await db.query(
    favorite
      ? 'INSERT INTO favorites (project_id) VALUES ($1) ON CONFLICT DO NOTHING'
      : 'DELETE FROM favorites WHERE project_id = $1',
    [projectId],
  );
}
