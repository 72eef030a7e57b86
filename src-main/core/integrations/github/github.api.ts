/**
 * The `github` namespace, part 1: the connection (a token pasted or got through the device flow,
 * sealed and kept locally), the account, the person's repos, and repos linked to projects (shared).
 * See README.md here.
 */
import type { Octokit } from 'octokit';
import { ApiError, type GithubDeviceFlowPoll, type Role } from '../../../contract';
import type { HandlersOf } from '../../api-registration';
import type { CoreContext } from '../../context';
import { preferenceSetting } from '../../settings/preferences.api';
import type { SecretSealer } from '../../sync/secrets';
import { getProfile } from '../../profile/profile.api';
import { getTask, getTaskPlace } from '../../tasks/tasks.repo';
import { checkToken } from './account-check';
import { branchNameFor, defaultBranchPattern } from './branch-name';
import { ConnectionStore, type OpenConnection } from './connection-store';
import { pollDeviceFlow, startDeviceFlow, type PendingDeviceFlow } from './device-flow';
import { githubClient, normalBaseUrl, type GithubPorts } from './octokit-client';
import { rateLimitFrom, scopesFrom } from './octokit-errors';
import { linkRepo, unlinkRepo } from './repo-links-doc';
import { getRepoLink, listRepoLinks } from './repo-links.repo';
import { listRepos } from './repos-list';

/** The preference (`preferences.set({ key: 'github-client-id' })`) holding the OAuth app's client id. */
export const clientIdPreference = 'github-client-id';
/** The preference holding the branch-name pattern ("Copy branch name"; `branch-name.ts`). */
export const branchPatternPreference = 'github-branch-pattern';

export interface GithubApiDeps {
  sealer: SecretSealer;
  fetch: typeof fetch;
  ports?: GithubPorts;
  /** This replica's role in the workspace. */
  roleIn(workspaceId: string): Role;
}

const linkRoles: readonly Role[] = ['owner', 'admin', 'member'];

export function githubApi(ctx: CoreContext, deps: GithubApiDeps) {
  const store = new ConnectionStore(ctx, deps.sealer);
  const client = (baseUrl: string, token: string | null, onHeaders?: (headers: Record<string, string | number | undefined>) => void) =>
    githubClient({ baseUrl, token, fetch: deps.fetch, logger: ctx.logger, ports: deps.ports, onHeaders });
  // One client per opened connection (made again after a reconnect), noting what each answer says.
  let connected: { connection: OpenConnection; octokit: Octokit } | null = null;
  const connectedClient = async () => {
    const connection = await store.connection();
    if (!connection) throw new ApiError('UNAVAILABLE', 'GitHub is not connected on this device: connect it with a token or sign in with GitHub first.');
    if (connected?.connection !== connection) {
      const octokit = client(connection.baseUrl, connection.token, (headers) => store.noteHeaders({ rateLimit: rateLimitFrom(headers), scopes: scopesFrom(headers) }));
      connected = { connection, octokit };
    }
    return connected;
  };
  const requireLinkRole = (workspaceId: string) => {
    const role = deps.roleIn(workspaceId);
    if (!linkRoles.includes(role)) {
      throw new ApiError('FORBIDDEN', `Only owners, admins and members can link or unlink repos; you are a ${role} in this workspace.`, { role });
    }
  };

  // The device flow this machine started last (in memory only), and the poll under way, if any:
  // two polls at once would be one too many for GitHub (`slow_down`), so they share one answer.
  let pending: PendingDeviceFlow | null = null;
  let polling: Promise<GithubDeviceFlowPoll> | null = null;
  const pollOnce = async (flow: PendingDeviceFlow): Promise<GithubDeviceFlowPoll> => {
    const answer = await pollDeviceFlow(client(flow.baseUrl, null), flow);
    if ('token' in answer) {
      const account = await checkToken(client(flow.baseUrl, answer.token), flow.baseUrl);
      await store.save(answer.token, account);
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
      connected = null;
      await store.remove();
    },
    async repos({ search, owner, page }) {
      const { connection, octokit } = await connectedClient();
      return listRepos(octokit, connection.baseUrl, { page, owner, search });
    },
    async branchName({ taskId }) {
      const [task, place, account, stored] = await Promise.all([
        getTask(ctx.db, taskId),
        getTaskPlace(ctx.db, taskId),
        store.account(),
        ctx.settings.get<unknown>(preferenceSetting(branchPatternPreference)),
      ]);
      const user = account?.login ?? (await getProfile(ctx)).displayName;
      const pattern = typeof stored === 'string' && stored.trim() !== '' ? stored.trim() : defaultBranchPattern;
      return { branchName: branchNameFor(task, place.projectKey, user, pattern), pattern };
    },
    async links({ projectId }) {
      await ctx.places.projectWorkspace(projectId, 'projectId');
      return listRepoLinks(ctx.db, projectId);
    },
    async linkRepo({ projectId, repo }, call) {
      const workspaceId = await ctx.places.projectWorkspace(projectId, 'projectId');
      requireLinkRole(workspaceId);
      return getRepoLink(ctx.db, await linkRepo(ctx, workspaceId, call.origin, projectId, repo));
    },
    async unlinkRepo({ projectId, repo }, call) {
      const workspaceId = await ctx.places.projectWorkspace(projectId, 'projectId');
      requireLinkRole(workspaceId);
      await unlinkRepo(ctx, workspaceId, call.origin, projectId, repo);
      return { projectId, repo };
    },
  } satisfies HandlersOf<'github'>;
}
