/** Reads of the `github_links` projection (repo-links-doc.ts writes the doc it comes from). */
import type { PGlite } from '@electric-sql/pglite';
import { ApiError, type GithubRepoLink } from '../../../contract';

interface LinkRow {
  id: string;
  workspace_id: string;
  project_id: string;
  repo: string;
  linked_by: string | null;
  created_at: Date;
}

const toLink = (row: LinkRow): GithubRepoLink => ({
  id: row.id,
  workspaceId: row.workspace_id,
  projectId: row.project_id,
  repo: row.repo,
  linkedBy: row.linked_by,
  createdAt: row.created_at.toISOString(),
});

/** A project's live links, by repo name. */
export async function listRepoLinks(db: PGlite, projectId: string): Promise<GithubRepoLink[]> {
  const { rows } = await db.query<LinkRow>(
    'SELECT id, workspace_id, project_id, repo, linked_by, created_at FROM github_links WHERE project_id = $1 AND deleted_at IS NULL ORDER BY lower(repo), id',
    [projectId],
  );
  return rows.map(toLink);
}

export async function getRepoLink(db: PGlite, id: string): Promise<GithubRepoLink> {
  const { rows } = await db.query<LinkRow>('SELECT id, workspace_id, project_id, repo, linked_by, created_at FROM github_links WHERE id = $1 AND deleted_at IS NULL', [id]);
  if (!rows[0]) throw new ApiError('NOT_FOUND', `No GitHub link with id ${id}`, { id });
  return toLink(rows[0]);
}
