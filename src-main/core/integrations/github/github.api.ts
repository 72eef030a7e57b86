/**
 * The `github` namespace: the connection (a token pasted or got through the device flow, sealed
 * and kept locally), the account, the person's repos, and repos linked to projects (shared) are
 * here; the sync and the actions are parts of their own. See README.md here.
 */
import { ApiError, type GithubDeviceFlowPoll } from '../../../contract';
import type { HandlersOf } from '../../api-registration';
import type { CoreContext } from '../../context';
import { preferenceSetting } from '../../settings/preferences.api';
import { checkToken } from './account-check';
import { pollDeviceFlow, startDeviceFlow, type PendingDeviceFlow } from './device-flow';
import { ActionQueue } from './action-queue';
import { actionHandlers } from './github-actions.api';
import { cacheAccount, githubSession, type GithubApiDeps, type GithubSession } from './github-session';
import { syncHandlers } from './github-sync.api';
import { repoSyncer } from './repo-sync';
import { githubSyncJobType, newSyncJobTiming } from './sync-job';
import { forgetAccount } from './http-cache';
import { normalBaseUrl } from './octokit-client';
import { linkRepo, unlinkRepo } from './repo-links-doc';
import { getRepoLink, listRepoLinks } from './repo-links.repo';
import { listRepos } from './repos-list';
import { taskBranchName } from './task-branch-name';

/** The preference (`preferences.set({ key: 'github-client-id' })`) holding the OAuth app's client id. */
export const clientIdPreference = 'github-client-id';
export { branchPatternPreference } from './task-branch-name';

export type { GithubApiDeps } from './github-session';

/**
 * The whole namespace: the connection and links (here), the sync and what it links and moves
 * (github-sync.api.ts), and actions on GitHub with their offline queue (github-actions.api.ts).
 */
export function githubApi(ctx: CoreContext, deps: GithubApiDeps) {
  const session = githubSession(ctx, deps);
  const syncer = repoSyncer(session);
  const actions = new ActionQueue(session, deps.timers);
  return {
    handlers: { ...connectionHandlers(session), ...syncHandlers(session, syncer), ...actionHandlers(session, actions) } satisfies HandlersOf<'github'>,
    /** The repo's sync, as its job runs it: the runner writes links and moves, as the job. */
    syncJob: githubSyncJobType((workspaceId, repo, jobId, signal) => syncer.sync({ workspaceId, repo, writer: { kind: 'job', jobIds: [jobId] }, signal })),
    /** Resumes the actions queue (the core has opened): actions left `sending` are checked, due ones sent. */
    start: () => actions.start(),
    /** Stops the queue's timer and its requests (before the database closes). */
    close: () => actions.close(),
  };
}

function connectionHandlers(session: GithubSession) {
  const { ctx, deps, store, client } = session;
  // The device flow this machine started last (in memory only), and the poll under way, if any:
  // two polls at once would be one too many for GitHub (`slow_down`), so they share one answer.
  let pending: PendingDeviceFlow | null = null;
  let polling: Promise<GithubDeviceFlowPoll> | null = null;
  const pollOnce = async (flow: PendingDeviceFlow): Promise<GithubDeviceFlowPoll> => {
    const answer = await pollDeviceFlow(client(flow.baseUrl, null), flow);
    if ('token' in answer) {
      const account = await checkToken(client(flow.baseUrl, answer.token), flow.baseUrl);
      await store.save(answer.token, account);
      session.reset();
      if (pending === flow) pending = null;
      return { state: 'connected', account };
    }
    if ((answer.state === 'expired_token' || answer.state === 'access_denied') && pending === flow) pending = null;
    return answer;
  };

  return {
    async connectToken({ token, baseUrl }) {
      const base = normalBaseUrl(baseUrl);
      // Checked before anything is stored: a token GitHub refuses is never kept.
      const account = await checkToken(client(base, token), base, 'token');
      await store.save(token, account);
      session.reset();
      return account;
    },
    async startDeviceFlow({ clientId, baseUrl }) {
      const preferred = await ctx.settings.get<unknown>(preferenceSetting(clientIdPreference));
      const id = clientId ?? (typeof preferred === 'string' && preferred.trim() ? preferred.trim() : undefined) ?? deps.ports?.clientId;
      if (!id) {
        throw new ApiError(
          'VALIDATION',
          'clientId: no OAuth app client id is set: give one, set it in Settings → GitHub, or start the app with GROUNDWORK_GITHUB_CLIENT_ID — or paste a personal access token instead.',
          { field: 'clientId' },
        );
      }
      const base = normalBaseUrl(baseUrl);
      const started = await startDeviceFlow(client(base, null), id, base);
      pending = started.pending;
      // The person enters the code there; failing to open a browser is not failing the sign-in.
      ctx.main.api.shell.openExternal({ url: started.start.verificationUri }).catch((error: unknown) => {
        ctx.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not open the GitHub verification page');
      });
      return started.start;
    },
    async pollDeviceFlow() {
      if (!pending) throw new ApiError('CONFLICT', 'No GitHub sign-in is waiting: start one with startDeviceFlow (an expired or cancelled one must be started again).');
      polling ??= pollOnce(pending).finally(() => {
        polling = null;
      });
      return polling;
    },
    account: () => store.account(),
    async disconnect() {
      pending = null;
      session.reset();
      const account = await store.account();
      await store.remove();
      // Its cached answers go with it: they were read with its token.
      if (account) await forgetAccount(ctx.db, cacheAccount(account.baseUrl, account.login));
    },
    async repos({ search, owner, page }) {
      const { connection, octokit } = await session.connectedClient();
      return listRepos(octokit, connection.baseUrl, { page, owner, search });
    },
    branchName: ({ taskId }) => taskBranchName(ctx, store, taskId),
    async links({ projectId }) {
      await ctx.places.projectWorkspace(projectId, 'projectId');
      return listRepoLinks(ctx.db, projectId);
    },
    async linkRepo({ projectId, repo }, call) {
      const workspaceId = await ctx.places.projectWorkspace(projectId, 'projectId');
      session.requireWriter(workspaceId, 'link or unlink repos');
      return getRepoLink(ctx.db, await linkRepo(ctx, workspaceId, call.origin, projectId, repo, newSyncJobTiming(deps.replica, deps.clock())));
    },
    async unlinkRepo({ projectId, repo }, call) {
      const workspaceId = await ctx.places.projectWorkspace(projectId, 'projectId');
      session.requireWriter(workspaceId, 'link or unlink repos');
      await unlinkRepo(ctx, workspaceId, call.origin, projectId, repo);
      return { projectId, repo };
    },
  } satisfies Partial<HandlersOf<'github'>>;
}
