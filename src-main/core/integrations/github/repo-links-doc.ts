/**
 * Repos linked to projects: shared state in the workspace doc's `githubLinks` map (one Y.Map of
 * plain fields per link), projected into `github_links` (migration 0008). The workspace doc rather
 * than each project's: a repo's activity is matched against every project it is linked to, and
 * the sync job that reads it is a workspace job.
 *
 * A link's id is derived from its project and its repo (case-insensitively, as GitHub compares
 * names), so the same repo linked twice — one after the other, at once in one replica's queue, or
 * on two replicas offline — is ONE entry. Unlinking sets `deletedAt` (restorable, and history keeps
 * it); linking again clears it. The repo's `github.sync` job is written with the link (sync-job.ts).
 */
import * as Y from 'yjs';
import { ApiError } from '../../../contract';
import type { CoreContext } from '../../context';
import { newEntity } from '../../sync/fields';
import { nameId } from '../../sync/name-ids';
import type { Origin } from '../../sync/origins';
import { workspaceRoom } from '../../sync/rooms';
import { dropSyncJobIfUnused, ensureSyncJob, type SyncJobPlacement } from './sync-job';

export const GITHUB_LINKS = 'githubLinks';

/** A name-based UUID of the project and the repo's lower-cased name (the same on every replica). */
export function repoLinkId(projectId: string, repo: string): string {
  return nameId('github-link', projectId, repo.toLowerCase());
}

/** Links the repo (or finds it linked) and makes sure its sync job exists; returns the link's id. Decided from the doc itself. */
export function linkRepo(
  ctx: CoreContext,
  workspaceId: string,
  origin: Origin,
  projectId: string,
  repo: string,
  job: Pick<SyncJobPlacement, 'runner' | 'nextRunAt'>,
): Promise<string> {
  const id = repoLinkId(projectId, repo);
  const memberId = origin.kind === 'local' ? origin.memberId : null;
  return ctx.docs.write(workspaceRoom(workspaceId), origin, (doc) => {
    const links = doc.getMap<unknown>(GITHUB_LINKS);
    const existing = links.get(id);
    const now = ctx.now();
    if (!(existing instanceof Y.Map)) {
      links.set(id, newEntity({ projectId, repo, linkedBy: memberId, createdAt: now, updatedAt: now, deletedAt: null }));
    } else if (existing.get('deletedAt')) {
      // Linked again after an unlink: the entry comes back as this person's link of now.
      existing.set('repo', repo);
      existing.set('linkedBy', memberId);
      existing.set('createdAt', now);
      existing.set('updatedAt', now);
      existing.set('deletedAt', null);
    }
    ensureSyncJob(doc, { workspaceId, projectId, repo, now, ...job });
    return id;
  });
}

/** Unlinks the repo; NOT_FOUND (writing nothing) when it is not linked to the project. */
export async function unlinkRepo(ctx: CoreContext, workspaceId: string, origin: Origin, projectId: string, repo: string): Promise<void> {
  const id = repoLinkId(projectId, repo);
  const found = await ctx.docs.write(workspaceRoom(workspaceId), origin, (doc) => {
    const existing = doc.getMap<unknown>(GITHUB_LINKS).get(id);
    if (!(existing instanceof Y.Map) || existing.get('deletedAt')) return false;
    const now = ctx.now();
    existing.set('updatedAt', now);
    existing.set('deletedAt', now);
    dropSyncJobIfUnused(doc, workspaceId, repo, doc.getMap<unknown>(GITHUB_LINKS), now);
    return true;
  });
  if (!found) throw new ApiError('NOT_FOUND', `repo: ${repo} is not linked to this project`, { field: 'repo', projectId, repo });
}
