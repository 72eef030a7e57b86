/**
 * This machine's GitHub session: the stored connection and one Octokit per opened connection,
 * shared by every part of the `github` namespace (connection, sync, actions) and the `github.sync`
 * job. A client made here notes the scopes and rate limit of every answer (shown in settings) and
 * answers unchanged GETs from the conditional-request cache (http-cache.ts).
 */
import type { Octokit } from 'octokit';
import { ApiError, type GithubEvent, type Role } from '../../../contract';
import { canWriteIntegration, requireIntegrationWriter } from '../integration-roles';
import type { CoreContext } from '../../context';
import type { Timers } from '../../jobs/timers';
import type { SecretSealer } from '../../sync/secrets';
import { ConnectionStore, type OpenConnection } from './connection-store';
import { attachHttpCache, type HttpCache } from './http-cache';
import { githubClient, type GithubPorts } from './octokit-client';
import { rateLimitFrom, scopesFrom } from './octokit-errors';

export interface GithubApiDeps {
  sealer: SecretSealer;
  fetch: typeof fetch;
  ports?: GithubPorts;
  /** This replica's role in the workspace. */
  roleIn(workspaceId: string): Role;
  /** This replica's id (a job's `runner`): only the runner of a repo's sync job writes links and moves. */
  replica: string;
  /** Pushes a `github` event (queue and sync changes) to subscribed views. */
  emit(event: GithubEvent): void;
  /** The core's clock (tests inject one). */
  clock(): Date;
  /** When the actions queue retries (the core's Timers port: node-schedule, or a test's hand-moved fake). */
  timers: Timers;
}

export interface ConnectedClient {
  connection: OpenConnection;
  /** Whose token it is: `<api address> <login>`, the conditional-request cache's account key. */
  account: string;
  login: string;
  octokit: Octokit;
  cache: HttpCache;
}

/** The cache's account key of a connection (http-cache.ts keeps entries per account). */
export const cacheAccount = (baseUrl: string, login: string) => `${baseUrl} ${login}`;

export type GithubSession = ReturnType<typeof githubSession>;

export function githubSession(ctx: CoreContext, deps: GithubApiDeps) {
  const store = new ConnectionStore(ctx, deps.sealer);
  const client = (baseUrl: string, token: string | null, onHeaders?: (headers: Record<string, string | number | undefined>) => void) =>
    githubClient({ baseUrl, token, fetch: deps.fetch, logger: ctx.logger, ports: deps.ports, onHeaders });
  // One client per opened connection (made again after a reconnect), noting what each answer says.
  let connected: ConnectedClient | null = null;
  return {
    ctx,
    deps,
    store,
    client,
    /** The connected account's client, or UNAVAILABLE saying how to connect. */
    async connectedClient(): Promise<ConnectedClient> {
      const [connection, account] = await Promise.all([store.connection(), store.account()]);
      if (!connection || !account) throw new ApiError('UNAVAILABLE', 'GitHub is not connected on this device: connect it with a token or sign in with GitHub first.');
      if (connected?.connection !== connection) {
        const octokit = client(connection.baseUrl, connection.token, (headers) => store.noteHeaders({ rateLimit: rateLimitFrom(headers), scopes: scopesFrom(headers) }));
        const key = cacheAccount(connection.baseUrl, account.login);
        const cache = attachHttpCache(octokit, { db: ctx.db, account: key });
        connected = { connection, account: key, login: account.login, octokit, cache };
      }
      return connected;
    },
    /** Forgets the client (after a disconnect or a new connection). */
    reset() {
      connected = null;
    },
    /** Whether this replica may change the workspace's GitHub state (links, rules, moves). */
    canWrite: (workspaceId: string) => canWriteIntegration(deps.roleIn(workspaceId)),
    /** FORBIDDEN unless this replica may change the workspace's GitHub state (links, rules, moves). */
    requireWriter: (workspaceId: string, what: string) => requireIntegrationWriter(deps.roleIn(workspaceId), what),
  };
}
