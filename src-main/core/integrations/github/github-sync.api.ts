/** The `github` namespace, part 2: the sync, the repo view, a task's code, the project's rules and moves. */
import { ApiError } from '../../../contract';
import type { HandlersOf } from '../../api-registration';
import type { GithubSession } from './github-session';
import { readRepoView, readTaskLinks } from './repo-cache.repo';
import { listRepoLinks } from './repo-links.repo';
import type { RepoSyncer } from './repo-sync';
import { getMove, listTaskMoves, readRules, undoMove, writeRules } from './task-moves';

export function syncHandlers(session: GithubSession, syncer: RepoSyncer) {
  const { ctx } = session;
  return {
    async repo({ repo }) {
      const { rows } = await ctx.db.query('SELECT 1 FROM github_links WHERE lower(repo) = lower($1) AND deleted_at IS NULL LIMIT 1', [repo]);
      if (rows.length === 0) throw new ApiError('NOT_FOUND', `repo: ${repo} is not linked to any project here; link it in Settings → GitHub first`, { field: 'repo' });
      return readRepoView(ctx.db, repo);
    },
    async syncNow({ projectId }, call) {
      const workspaceId = await ctx.places.projectWorkspace(projectId, 'projectId');
      const links = await listRepoLinks(ctx.db, projectId);
      const origin = await call.originIn(workspaceId);
      const results = [];
      for (const link of links) {
        // The job's runner writes links and moves; anyone else refreshes their own cache only.
        const writer = (await syncer.isRunner(workspaceId, projectId, link.repo, origin)) ? origin : null;
        const sync = await syncer.sync({ workspaceId, repo: link.repo, writer });
        session.deps.emit({ workspaceId, kind: 'synced', projectId, sync });
        results.push(sync);
      }
      return results;
    },
    async taskLinks({ taskId }) {
      await ctx.places.task(taskId);
      const [links, moves] = await Promise.all([readTaskLinks(ctx.db, taskId), listTaskMoves(ctx, taskId)]);
      return { ...links, moves };
    },
    async projectRules({ projectId }) {
      const workspaceId = await ctx.places.projectWorkspace(projectId, 'projectId');
      return readRules(ctx, workspaceId, projectId);
    },
    async setProjectRules({ projectId, onMerge, onOpen }, call) {
      const workspaceId = await ctx.places.projectWorkspace(projectId, 'projectId');
      session.requireWriter(workspaceId, 'change what pull requests do to tasks');
      return writeRules(ctx, workspaceId, projectId, call.origin, { onMerge, onOpen });
    },
    async undoMove({ moveId }, call) {
      const move = await getMove(ctx, moveId);
      const workspaceId = await ctx.places.projectWorkspace(move.projectId);
      session.requireWriter(workspaceId, 'undo a move');
      const origin = await call.originIn(workspaceId);
      await ctx.mutate(workspaceId, () => undoMove(ctx, workspaceId, move.projectId, moveId, origin));
      const { projectId: _projectId, ...undone } = await getMove(ctx, moveId);
      return undone;
    },
  } satisfies Partial<HandlersOf<'github'>>;
}
