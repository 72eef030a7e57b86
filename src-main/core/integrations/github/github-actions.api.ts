/**
 * The `github` namespace, part 3: actions on GitHub taken from the app (a task's branch or issue,
 * a workflow run, a deployment) and their offline queue (action-queue.ts; README.md "Actions and
 * their queue"). Each action is this machine's person's, sent with their own token.
 */
import { uuidv7 } from 'uuidv7';
import { ApiError, type GithubWorkflow } from '../../../contract';
import type { HandlersOf } from '../../api-registration';
import { getTask } from '../../tasks/tasks.repo';
import type { ActionQueue } from './action-queue';
import { getAction, listActions, publicAction } from './action-queue.repo';
import { actionMarker } from './actions-send';
import type { GithubSession } from './github-session';
import { githubError } from './octokit-errors';
import { linkedRepoWorkspaces } from './repo-links.repo';
import { taskBranchName } from './task-branch-name';

const acting = 'take GitHub actions';

export function actionHandlers(session: GithubSession, queue: ActionQueue) {
  const { ctx, store } = session;

  /** An action needs a connected account: the branch is named by its login, and it is sent with its token. */
  const requireConnected = async () => {
    if (!(await store.account())) throw new ApiError('UNAVAILABLE', 'GitHub is not connected on this device: connect it with a token or sign in with GitHub first.');
  };

  /** A task's workspace, where the person must be a writer. */
  const taskWorkspace = async (taskId: string) => {
    const { workspaceId } = await ctx.places.task(taskId);
    session.requireWriter(workspaceId, acting);
    return workspaceId;
  };

  /**
   * A repo's workspace: the one whose project links it. Linked in several, the first linked where
   * this person may write (a viewer elsewhere is not refused for it); linked nowhere, the action
   * belongs to no workspace and is refused.
   */
  const repoWorkspace = async (repo: string) => {
    const workspaces = await linkedRepoWorkspaces(ctx.db, repo);
    if (workspaces.length === 0) {
      throw new ApiError('VALIDATION', `repo: ${repo} is not linked to any project: link it to a project first (the project's GitHub settings).`, { field: 'repo' });
    }
    const writable = workspaces.find((id) => {
      try {
        session.requireWriter(id, acting);
        return true;
      } catch {
        return false;
      }
    });
    if (writable) return writable;
    session.requireWriter(workspaces[0]!, acting);
    return workspaces[0]!;
  };

  return {
    async createBranch({ taskId, repo, from }) {
      const workspaceId = await taskWorkspace(taskId);
      await requireConnected();
      const { branchName } = await taskBranchName(ctx, store, taskId);
      return queue.submit({ id: uuidv7(), workspaceId, kind: 'branch', repo, taskId, input: { branch: branchName, from: from ?? null } });
    },
    async createIssue({ taskId, repo }) {
      const workspaceId = await taskWorkspace(taskId);
      await requireConnected();
      const task = await getTask(ctx.db, taskId);
      const id = uuidv7();
      // The key in the text is what the sync reads to link the issue to its task; the marker
      // (an HTML comment GitHub does not show) is how a later check finds this action's issue.
      const body = [task.description.trim(), `Created from Groundwork task ${task.key}.`, actionMarker(id)].filter(Boolean).join('\n\n');
      return queue.submit({ id, workspaceId, kind: 'issue', repo, taskId, input: { title: `${task.key} ${task.title}`, body } });
    },
    async dispatchWorkflow({ repo, workflow, ref, inputs }) {
      const workspaceId = await repoWorkspace(repo);
      await requireConnected();
      return queue.submit({ id: uuidv7(), workspaceId, kind: 'workflow', repo, taskId: null, input: { workflow, ref, inputs: inputs ?? {} } });
    },
    async createDeployment({ repo, ref, environment, description }) {
      const workspaceId = await repoWorkspace(repo);
      await requireConnected();
      const input = { ref, environment, ...(description === undefined ? {} : { description }) };
      return queue.submit({ id: uuidv7(), workspaceId, kind: 'deployment', repo, taskId: null, input });
    },
    // GitHub's listing does not say which workflows have a `workflow_dispatch` trigger (only their
    // file would, one request each): the active ones are offered, and dispatching one without the
    // trigger fails with GitHub's own message.
    async workflows({ repo }): Promise<GithubWorkflow[]> {
      const { octokit, connection } = await session.connectedClient();
      const [owner, name] = repo.split('/') as [string, string];
      try {
        const workflows = await octokit.paginate('GET /repos/{owner}/{repo}/actions/workflows', { owner, repo: name, per_page: 100 });
        return workflows
          .filter((workflow) => workflow.state === 'active')
          .map((workflow) => ({ id: workflow.id, name: workflow.name, file: workflow.path.split('/').pop()!, state: workflow.state, url: workflow.html_url }));
      } catch (error) {
        throw githubError(error, `listing the workflows of ${repo}`, { baseUrl: connection.baseUrl });
      }
    },
    async queue({ workspaceId }) {
      return (await listActions(ctx.db, workspaceId)).map(publicAction);
    },
    async retryQueued({ id }) {
      session.requireWriter((await getAction(ctx.db, id)).workspaceId, acting);
      return queue.retry(id);
    },
    async cancelQueued({ id }) {
      session.requireWriter((await getAction(ctx.db, id)).workspaceId, acting);
      return queue.cancel(id);
    },
  } satisfies Partial<HandlersOf<'github'>>;
}
