import type { PGlite } from '@electric-sql/pglite';
import { ApiError, type Stage } from '../../contract';

interface StageRow {
  id: string;
  project_id: string;
  name: string;
  order_key: string;
  is_done: boolean;
}

const toStage = (r: StageRow): Stage => ({ id: r.id, projectId: r.project_id, name: r.name, order: r.order_key, isDone: r.is_done });

export async function listStages(db: PGlite, projectId: string): Promise<Stage[]> {
  const { rows } = await db.query<StageRow>(
    'SELECT id, project_id, name, order_key, is_done FROM stages WHERE project_id = $1 AND deleted_at IS NULL ORDER BY order_key, id',
    [projectId],
  );
  return rows.map(toStage);
}

/** A live stage with its project's workspace, or NOT_FOUND naming `field`. */
export async function getStage(db: PGlite, id: string, field = 'id'): Promise<Stage & { workspaceId: string }> {
  const { rows } = await db.query<StageRow & { workspace_id: string }>(
    `SELECT s.id, s.project_id, s.name, s.order_key, s.is_done, p.workspace_id
     FROM stages s JOIN projects p ON p.id = s.project_id
     WHERE s.id = $1 AND s.deleted_at IS NULL AND p.deleted_at IS NULL`,
    [id],
  );
  if (!rows[0]) throw new ApiError('NOT_FOUND', `${field}: no stage with id ${id}`, { field, id });
  return { ...toStage(rows[0]), workspaceId: rows[0].workspace_id };
}

export const toPublic = ({ workspaceId: _workspaceId, ...stage }: Stage & { workspaceId: string }): Stage => stage;
