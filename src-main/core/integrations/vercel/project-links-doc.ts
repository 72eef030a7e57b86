/**
 * Vercel projects linked to projects: shared state in the workspace doc's `vercelLinks` map (one
 * Y.Map of plain fields per link), projected into `vercel_links` (migration 0014). A project links
 * ONE Vercel project (its deployments are the project's): the link's id is derived from the
 * project alone, so linking again — one after the other, or on two replicas offline — replaces
 * the Vercel project in the same entry instead of making a second.
 */
import * as Y from 'yjs';
import { ApiError, type VercelLink } from '../../../contract';
import type { CoreContext } from '../../context';
import { newEntity } from '../../sync/fields';
import { nameId } from '../../sync/name-ids';
import type { Origin } from '../../sync/origins';
import { workspaceRoom } from '../../sync/rooms';

export const VERCEL_LINKS = 'vercelLinks';

export const vercelLinkId = (projectId: string) => nameId('vercel-link', projectId);

/** Links the Vercel project to the project (replacing an earlier one); returns the link's id. */
export function linkVercelProject(
  ctx: CoreContext,
  workspaceId: string,
  origin: Origin,
  link: { projectId: string; vercelProjectId: string; vercelProjectName: string; repo: string | null; runner: string },
): Promise<string> {
  const id = vercelLinkId(link.projectId);
  const memberId = origin.kind === 'local' ? origin.memberId : null;
  return ctx.docs.write(workspaceRoom(workspaceId), origin, (doc) => {
    const links = doc.getMap<unknown>(VERCEL_LINKS);
    const existing = links.get(id);
    const now = ctx.now();
    if (!(existing instanceof Y.Map)) {
      links.set(id, newEntity({ ...link, linkedBy: memberId, createdAt: now, updatedAt: now, deletedAt: null }));
    } else if (existing.get('deletedAt') || (['vercelProjectId', 'vercelProjectName', 'repo'] as const).some((f) => existing.get(f) !== link[f])) {
      // Linked again (or to another Vercel project): this replica becomes the link's runner.
      for (const field of ['vercelProjectId', 'vercelProjectName', 'repo', 'runner'] as const) existing.set(field, link[field]);
      existing.set('linkedBy', memberId);
      existing.set('updatedAt', now);
      existing.set('deletedAt', null);
    }
    return id;
  });
}

interface LinkRow {
  id: string;
  workspace_id: string;
  project_id: string;
  vercel_project_id: string;
  vercel_project_name: string;
  repo: string | null;
  runner: string;
  linked_by: string | null;
  created_at: Date;
}

const columns = 'id, workspace_id, project_id, vercel_project_id, vercel_project_name, repo, runner, linked_by, created_at';

const toLink = (row: LinkRow): VercelLink => ({
  id: row.id,
  workspaceId: row.workspace_id,
  projectId: row.project_id,
  vercelProjectId: row.vercel_project_id,
  vercelProjectName: row.vercel_project_name,
  repo: row.repo,
  runner: row.runner,
  linkedBy: row.linked_by,
  createdAt: row.created_at.toISOString(),
});

/** The project's live link, or null. */
export async function projectLink(ctx: CoreContext, projectId: string): Promise<VercelLink | null> {
  const { rows } = await ctx.db.query<LinkRow>(`SELECT ${columns} FROM vercel_links WHERE project_id = $1 AND deleted_at IS NULL`, [projectId]);
  return rows[0] ? toLink(rows[0]) : null;
}

/** The project's link, or VALIDATION naming `projectId` saying how to make one. */
export async function requireProjectLink(ctx: CoreContext, projectId: string): Promise<VercelLink> {
  const link = await projectLink(ctx, projectId);
  if (!link) throw new ApiError('VALIDATION', 'projectId: no Vercel project is linked to this project: link one in Settings → Vercel first.', { field: 'projectId' });
  return link;
}

/** Live links to a Vercel project (a deployment's projects), in the workspaces of this replica. */
export async function linksOfVercelProject(ctx: CoreContext, vercelProjectId: string): Promise<VercelLink[]> {
  const { rows } = await ctx.db.query<LinkRow>(
    `SELECT ${columns.split(', ').map((c) => `l.${c}`).join(', ')} FROM vercel_links l JOIN projects p ON p.id = l.project_id AND p.deleted_at IS NULL
     WHERE l.vercel_project_id = $1 AND l.deleted_at IS NULL ORDER BY l.created_at, l.id`,
    [vercelProjectId],
  );
  return rows.map(toLink);
}

/** Every live link of this replica's live projects. */
export async function liveLinks(ctx: CoreContext): Promise<VercelLink[]> {
  const { rows } = await ctx.db.query<LinkRow>(
    `SELECT ${columns.split(', ').map((c) => `l.${c}`).join(', ')} FROM vercel_links l JOIN projects p ON p.id = l.project_id AND p.deleted_at IS NULL WHERE l.deleted_at IS NULL`,
  );
  return rows.map(toLink);
}

export async function getLink(ctx: CoreContext, id: string): Promise<VercelLink> {
  const { rows } = await ctx.db.query<LinkRow>(`SELECT ${columns} FROM vercel_links WHERE id = $1`, [id]);
  if (!rows[0]) throw new ApiError('NOT_FOUND', `No Vercel link with id ${id}`, { id });
  return toLink(rows[0]);
}
