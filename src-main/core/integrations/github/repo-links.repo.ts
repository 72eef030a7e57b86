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

/**
 * The workspaces whose live projects link `repo` (compared case-insensitively, as GitHub names
 * repos), the one linked first first.
 */
export async function linkedRepoWorkspaces(db: PGlite, repo: string): Promise<string[]> {
  const { rows } = await db.query<{ workspace_id: string }>(
    `SELECT l.workspace_id FROM github_links l JOIN projects p ON p.id = l.project_id AND p.deleted_at IS NULL
     WHERE lower(l.repo) = lower($1) AND l.deleted_at IS NULL
     GROUP BY l.workspace_id ORDER BY min(l.created_at), l.workspace_id`,
    [repo],
  );
  return rows.map((row) => row.workspace_id);
}
