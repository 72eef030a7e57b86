import type { PGlite } from '@electric-sql/pglite';
import { ApiError, type Workspace } from '../../contract';

interface WorkspaceRow {
  id: string;
  name: string;
  created_at: Date;
}

const toWorkspace = (row: WorkspaceRow, currentId: string | null): Workspace => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at.toISOString(),
  current: row.id === currentId,
});

export async function listWorkspaces(db: PGlite, currentId: string | null): Promise<Workspace[]> {
  const { rows } = await db.query<WorkspaceRow>('SELECT id, name, created_at FROM workspaces ORDER BY lower(name), id');
  return rows.map((row) => toWorkspace(row, currentId));
}

export async function getWorkspace(db: PGlite, id: string, currentId: string | null): Promise<Workspace> {
  const { rows } = await db.query<WorkspaceRow>('SELECT id, name, created_at FROM workspaces WHERE id = $1', [id]);
  if (!rows[0]) throw new ApiError('NOT_FOUND', `No workspace with id ${id}`, { id });
  return toWorkspace(rows[0], currentId);
}
