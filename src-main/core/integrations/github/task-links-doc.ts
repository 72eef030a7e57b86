/**
 * Task ↔ code links: shared state in each project's doc (`githubTaskLinks`, one Y.Map of plain
 * fields per link), projected into `github_task_links` (migration 0011). A link says that a
 * branch, commit, pull request or issue names a task, with its title, URL and state as its writer
 * last saw them, so a teammate who has not connected GitHub still sees a task's PR.
 *
 * The sync job's runner writes links it finds; `github.createIssue` writes the issue it made. A
 * link's id is derived from task, repo, kind and ref, so the same link written on two replicas is
 * one entry. Only what changed is written: a sync that finds nothing new writes nothing.
 */
import * as Y from 'yjs';
import type { CoreContext } from '../../context';
import { newEntity } from '../../sync/fields';
import { nameId } from '../../sync/name-ids';
import type { Origin } from '../../sync/origins';
import { projectRoom } from '../../sync/rooms';

export const GITHUB_TASK_LINKS = 'githubTaskLinks';

export type TaskLinkKind = 'branch' | 'commit' | 'pull' | 'issue';

export interface TaskLink {
  taskId: string;
  /** `owner/name` as linked. */
  repo: string;
  kind: TaskLinkKind;
  /** The branch name, the commit sha, or the PR's or issue's number. */
  ref: string;
  title: string;
  url: string;
  /** The branch's sha, a commit's `committed`, a PR's state (draft, open, merged, closed), an issue's (open, closed). */
  state: string;
}

export function taskLinkId(link: Pick<TaskLink, 'taskId' | 'repo' | 'kind' | 'ref'>): string {
  return nameId('github-task-link', link.taskId, link.repo.toLowerCase(), link.kind, link.ref);
}

const changeable = ['title', 'url', 'state'] as const;

/**
 * Writes one project's links (new ones, and those whose title, URL or state changed; a removed
 * one comes back) in one transaction; returns how many it wrote. Call inside the workspace's
 * mutation (`ctx.mutate`).
 */
export async function writeTaskLinks(ctx: CoreContext, workspaceId: string, projectId: string, origin: Origin, links: readonly TaskLink[]): Promise<number> {
  if (links.length === 0) return 0;
  const room = projectRoom(workspaceId, projectId);
  // Read first: a sync that changes nothing must not open a write (an empty doc transaction still costs a save).
  const pending = await ctx.docs.read(room, (doc) => {
    const map = doc.getMap<unknown>(GITHUB_TASK_LINKS);
    return links.filter((link) => {
      const existing = map.get(taskLinkId(link));
      return !(existing instanceof Y.Map) || existing.get('deletedAt') != null || changeable.some((field) => existing.get(field) !== link[field]);
    });
  });
  if (pending.length === 0) return 0;
  return ctx.docs.write(room, origin, (doc) => {
    const map = doc.getMap<unknown>(GITHUB_TASK_LINKS);
    const now = ctx.now();
    let written = 0;
    for (const link of pending) {
      const id = taskLinkId(link);
      const existing = map.get(id);
      if (!(existing instanceof Y.Map)) {
        map.set(id, newEntity({ ...link, createdAt: now, updatedAt: now, deletedAt: null }));
        written++;
        continue;
      }
      let changed = existing.get('deletedAt') != null;
      if (changed) existing.set('deletedAt', null);
      for (const field of changeable) {
        if (existing.get(field) !== link[field]) {
          existing.set(field, link[field]);
          changed = true;
        }
      }
      if (changed) {
        existing.set('updatedAt', now);
        written++;
      }
    }
    return written;
  });
}
