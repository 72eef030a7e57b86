/**
 * This machine's Vercel session: the stored connection and one client per opened connection,
 * shared by the `vercel` namespace, the build follower and the `release.monitor` job.
 */
import { ApiError, type Role, type VercelEvent } from '../../../contract';
import type { CoreContext } from '../../context';
import type { Timers } from '../../jobs/timers';
import type { SecretSealer } from '../../sync/secrets';
import type { RecordedEvent } from '../../webhooks/webhooks.api';
import { requireIntegrationWriter } from '../integration-roles';
import { VercelConnectionStore, type OpenVercelConnection } from './connection-store';
import { VercelClient, type VercelPorts } from './vercel-client';

export interface VercelApiDeps {
  sealer: SecretSealer;
  fetch: typeof fetch;
  ports?: VercelPorts;
  /** This replica's role in the workspace. */
  roleIn(workspaceId: string): Role;
  /** This replica's id: the runner of the links it makes (it marks their tasks deployed). */
  replica: string;
  /** Pushes a `vercel` event (a followed build's new log lines). */
  emit(event: VercelEvent): void;
  /** Queues an outgoing webhook event of this replica (webhooks' `record`): the `deploy.*` events. */
  recordWebhook(event: RecordedEvent): Promise<void>;
  /** The core's clock and timers (tests move a fake by hand). */
  clock(): Date;
  timers: Timers;
}

export type VercelSession = ReturnType<typeof vercelSession>;

export function vercelSession(ctx: CoreContext, deps: VercelApiDeps) {
  const store = new VercelConnectionStore(ctx, deps.sealer);
  const client = (baseUrl: string, token: string, teamId: string | null) =>
    new VercelClient({ baseUrl, token, teamId, fetch: deps.fetch, clock: deps.clock, timers: deps.timers, ports: deps.ports });
  let connected: { connection: OpenVercelConnection; client: VercelClient } | null = null;
  return {
    ctx,
    deps,
    store,
    client,
    /** The connected account's client, or UNAVAILABLE saying how to connect. */
    async connectedClient(): Promise<VercelClient> {
      const connection = await store.connection();
      if (!connection) throw new ApiError('UNAVAILABLE', 'Vercel is not connected on this device: connect it with a token in Settings → Vercel first.');
      if (connected?.connection !== connection) {
        connected = { connection, client: client(connection.account.baseUrl, connection.token, connection.account.teamId) };
      }
      return connected.client;
    },
    reset() {
      connected = null;
    },
    requireWriter: (workspaceId: string, what: string) => requireIntegrationWriter(deps.roleIn(workspaceId), what),
  };
}
