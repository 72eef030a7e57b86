/**
 * Tasks know they shipped. A task whose merged pull request (a `pull` task link written by the
 * GitHub sync, with the PR in this replica's `github_pulls` cache) is in the `ready` deployment
 * production serves gets `deploy: { state: 'deployed', environment, deploymentId, url, at, pull }`
 * on the task itself — shared state in the project doc, so the board card and every teammate see
 * it, and the change history shows it in the task's activity. When production stops holding it (a
 * rollback to a deployment from before the merge) it becomes `rolled_back`; when the production
 * deploy that would have shipped it failed, `failed`.
 *
 * "Holds the PR": the deployment was built from the PR's base branch from a commit made at or
 * after the merge (the commit's time from the GitHub commit cache; without it, when the
 * deployment was created — a git-triggered deploy builds the branch's head as of then). No git
 * ancestry is read: the API gives none cheaply, and squash merges make new commits anyway.
 *
 * Written ONLY by the link's runner replica (the one that linked it), in the workspace's mutation
 * queue, and only what changed: every teammate's replica sees the same deployments, and one writer
 * keeps the activity from saying it twice.
 */
import type { TaskDeploy, VercelDeployment, VercelLink } from '../../../contract';
import { systemOrigin } from '../../sync/origins';
import { projectRoom } from '../../sync/rooms';
import { listDeployments } from './vercel-calls';
import type { ProductionChanges } from './production';
import type { VercelSession } from './vercel-session';

interface MergedPull {
  task_id: string;
  repo: string;
  number: number;
  merged_at: Date;
  base_ref: string;
}

/** The tasks' merged PRs from the link's repo (latest merge per task). */
async function mergedPulls(session: VercelSession, link: VercelLink): Promise<MergedPull[]> {
  const { rows } = await session.ctx.db.query<MergedPull>(
    `SELECT DISTINCT ON (l.task_id) l.task_id, p.repo, p.number, p.merged_at, p.base_ref
     FROM github_task_links l
     JOIN github_pulls p ON lower(p.repo) = lower(l.repo) AND p.number::text = l.ref
     JOIN tasks t ON t.id = l.task_id AND t.deleted_at IS NULL
     WHERE l.project_id = $1 AND l.kind = 'pull' AND l.deleted_at IS NULL AND p.merged_at IS NOT NULL AND lower(l.repo) = lower($2)
     ORDER BY l.task_id, p.merged_at DESC`,
    [link.projectId, link.repo],
  );
  return rows;
}

/** When each deployment's commit was made, where the GitHub cache knows it (epoch ms). */
async function commitTimes(session: VercelSession, repo: string, shas: string[]): Promise<Map<string, number>> {
  if (shas.length === 0) return new Map();
  const { rows } = await session.ctx.db.query<{ sha: string; committed_at: Date | null }>(
    'SELECT sha, committed_at FROM github_commits WHERE lower(repo) = lower($1) AND sha = ANY($2::text[])',
    [repo, shas],
  );
  return new Map(rows.filter((r) => r.committed_at).map((r) => [r.sha, r.committed_at!.getTime()]));
}

/**
 * Brings the link's tasks' deploy marks up to date with production (this replica must be the
 * link's runner; elsewhere it does nothing). Costs two requests: production deployments and the
 * project's current production.
 */
export async function refreshShipped(session: VercelSession, production: ProductionChanges, link: VercelLink): Promise<number> {
  if (link.runner !== session.deps.replica || !link.repo) return 0;
  const pulls = await mergedPulls(session, link);
  if (pulls.length === 0) return 0;
  const client = await session.connectedClient();
  const [deployments, currentId] = await Promise.all([listDeployments(client, link.vercelProjectId, 'production'), production.current(link.vercelProjectId)]);
  const times = await commitTimes(session, link.repo, deployments.flatMap((d) => (d.commitSha ? [d.commitSha] : [])));
  const holds = (d: VercelDeployment, pull: MergedPull) => d.ref === pull.base_ref && (times.get(d.commitSha ?? '') ?? Date.parse(d.createdAt)) >= pull.merged_at.getTime();
  const current = deployments.find((d) => d.id === currentId && d.state === 'ready') ?? null;
  // Oldest first: the deployment that first shipped a PR is the one named.
  const oldestFirst = [...deployments].reverse();

  const { ctx } = session;
  return ctx.mutate(link.workspaceId, async () => {
    const room = projectRoom(link.workspaceId, link.projectId);
    const marks = await ctx.docs.read(room, (doc) => {
      const tasks = doc.getMap<unknown>('tasks');
      const next = new Map<string, TaskDeploy>();
      for (const pull of pulls) {
        const task = tasks.get(pull.task_id) as { get(field: string): unknown } | undefined;
        if (!task) continue;
        const before = (task.get('deploy') ?? null) as TaskDeploy | null;
        const name = `${pull.repo}#${pull.number}`;
        let mark: TaskDeploy | null = before;
        if (current && holds(current, pull)) {
          // Shipped: by the first ready production deployment holding it, unless that is no longer live history.
          const first = oldestFirst.find((d) => d.state === 'ready' && holds(d, pull)) ?? current;
          if (before?.state !== 'deployed') mark = { state: 'deployed', environment: 'production', deploymentId: first.id, url: first.url, at: first.readyAt ?? first.createdAt, pull: name };
        } else if (before?.state === 'deployed') {
          mark = { state: 'rolled_back', environment: 'production', deploymentId: current?.id ?? before.deploymentId, url: current?.url ?? before.url, at: ctx.now(), pull: name };
        } else {
          const attempt = deployments.find((d) => holds(d, pull));
          if (attempt?.state === 'error' && before?.state !== 'failed') mark = { state: 'failed', environment: 'production', deploymentId: attempt.id, url: attempt.url, at: attempt.createdAt, pull: name };
        }
        if (mark && mark !== before) next.set(pull.task_id, mark);
      }
      return next;
    });
    if (marks.size === 0) return 0;
    await ctx.docs.write(room, systemOrigin('vercel deploys'), (doc) => {
      const tasks = doc.getMap<unknown>('tasks');
      for (const [taskId, mark] of marks) {
        const task = tasks.get(taskId) as { set(field: string, value: unknown): void } | undefined;
        task?.set('deploy', mark);
        task?.set('updatedAt', ctx.now());
      }
    });
    return marks.size;
  });
}
