/**
 * The `webhooks` namespace (README.md): endpoints are shared state of the workspace, managed by
 * its owners and admins; the signing secret is made, sealed and kept on this device, which then
 * delivers. Every method that writes runs in the workspace's mutation queue (mutating-methods.ts)
 * and only writes: the network calls are the sender's, outside any mutation.
 */
import { uuidv7 } from 'uuidv7';
import { ApiError, webhookTestEventType, type JobEvent, type Role, type WebhookEndpoint, type WebhookEndpointWithSecret, type WebhookEventType } from '../../contract';
import type { HandlersOf } from '../api-registration';
import type { CoreContext } from '../context';
import { preferenceSetting } from '../settings/preferences.api';
import type { SecretSealer } from '../sync/secrets';
import { writeEndpointFields, writeNewEndpoint } from './endpoints-doc';
import { EndpointsHere } from './endpoints-here';
import { outboxHook, retryWindowMs } from './outbox.hook';
import { newWebhookSecret } from './signing';
import { allowPrivatePreference, checkWebhookTarget } from './target-safety';
import { eventBody, newWebhookId } from './webhook-events';
import { rotationOverlapMs, WebhookSender, type SenderOptions } from './webhook-sender';
import {
  failQueued,
  forgetEndpoint,
  getDelivery,
  getEndpoint,
  insertEvent,
  listDeliveries,
  listEndpoints,
  publicDelivery,
  readSealedSecrets,
  requeue,
  writeSealedSecrets,
} from './webhooks.repo';

/** An event that is not a saved doc change (a job's alert, a Vercel deploy): what `record` takes. */
export interface RecordedEvent {
  workspaceId: string;
  type: WebhookEventType;
  /** The payload's `data` (docs/WEBHOOKS.md documents each type's). */
  data: unknown;
}

export interface WebhooksDeps extends SenderOptions {
  sealer: SecretSealer;
  roleIn(workspaceId: string): Role;
}

function requireManager(role: Role): void {
  if (role !== 'owner' && role !== 'admin') {
    throw new ApiError('FORBIDDEN', `Only owners and admins can manage webhooks; you are a ${role} in this workspace.`, { role });
  }
}

export function webhooks(ctx: CoreContext, deps: WebhooksDeps) {
  const sender = new WebhookSender(ctx, deps);
  /** The endpoints whose secret is here: the outbox hook asks it, not the database, in every save. */
  const here = new EndpointsHere();
  const removeHook = ctx.docs.addHook(outboxHook({ endpoints: here, queued: (endpointIds) => sender.kick(endpointIds), changed: (endpointId) => sender.endpointChanged(endpointId) }));

  const authorize = (workspaceId: string) => requireManager(deps.roleIn(workspaceId));
  const endpointOf = async (id: string) => {
    const endpoint = await getEndpoint(ctx.db, id);
    authorize(endpoint.workspaceId);
    return endpoint;
  };
  const allowPrivate = async () => (await ctx.settings.get<boolean>(preferenceSetting(allowPrivatePreference))) === true;
  const giveUpAt = () => new Date(Date.parse(ctx.now()) + retryWindowMs).toISOString();
  /** Only the device holding the secret signs: elsewhere rotating or testing would make a second sender. */
  const requireDeliversHere = (endpoint: WebhookEndpoint, what: string) => {
    if (!endpoint.deliversHere) {
      throw new ApiError('CONFLICT', `id: this endpoint's secret is on the device that created it; ${what} there (or delete the endpoint and add it again here).`, { field: 'id' });
    }
  };
  const sealedNew = async (endpointId: string, workspaceId: string, previous: { sealed: string } | null) => {
    const secret = newWebhookSecret();
    const sealedSecret = await deps.sealer.seal(secret);
    await writeSealedSecrets(ctx.db, {
      endpointId,
      workspaceId,
      sealedSecret,
      sealedPrevious: previous?.sealed ?? null,
      previousUntil: previous ? new Date(Date.parse(ctx.now()) + rotationOverlapMs).toISOString() : null,
    });
    return secret;
  };

  async function record({ workspaceId, type, data }: RecordedEvent): Promise<void> {
    const endpoints = here.wanting(workspaceId, type);
    if (endpoints.length === 0) return;
    const at = ctx.now();
    const event = { id: newWebhookId(), type, body: eventBody(type, at, workspaceId, data) };
    const deliveries = endpoints.map((endpointId) => ({ id: uuidv7(), eventId: event.id, endpointId }));
    await insertEvent(ctx.db, { workspaceId, events: [event], deliveries, at, giveUpAt: giveUpAt() });
    sender.kick(endpoints);
  }

  const handlers = {
    async create({ workspaceId, url, events, description }, { origin }): Promise<WebhookEndpointWithSecret> {
      authorize(workspaceId);
      await checkWebhookTarget(url, await allowPrivate());
      const id = uuidv7();
      // The secret first: an endpoint never exists here without the secret that signs for it.
      const secret = await sealedNew(id, workspaceId, null);
      here.hold(id, workspaceId);
      try {
        await writeNewEndpoint(ctx, workspaceId, origin, id, { url, events, description: description ?? '', enabled: true });
      } catch (error) {
        here.forget(id);
        await forgetEndpoint(ctx.db, id);
        throw error;
      }
      return { ...(await getEndpoint(ctx.db, id)), secret };
    },
    async list({ workspaceId }) {
      authorize(workspaceId);
      return listEndpoints(ctx.db, workspaceId);
    },
    async update({ id, url, events, description, enabled }, { origin }) {
      const endpoint = await endpointOf(id);
      if (url !== undefined) await checkWebhookTarget(url, await allowPrivate());
      // A person turning it on clears why Groundwork turned it off.
      const reason = enabled === true ? { disabledReason: null } : {};
      await writeEndpointFields(ctx, endpoint.workspaceId, origin, id, { url, events, description, enabled, ...reason });
      // Turned off: what waits for it ends as failed (redeliver them once it is on again).
      if (enabled === false) await failQueued(ctx.db, id, 'The endpoint was turned off.');
      return getEndpoint(ctx.db, id);
    },
    async delete({ id }, { origin }) {
      const endpoint = await endpointOf(id);
      await writeEndpointFields(ctx, endpoint.workspaceId, origin, id, { deleted: true });
      here.forget(id);
      await forgetEndpoint(ctx.db, id);
      return { id };
    },
    async rotateSecret({ id }) {
      const endpoint = await endpointOf(id);
      requireDeliversHere(endpoint, 'rotate it');
      const stored = await readSealedSecrets(ctx.db, id);
      const secret = await sealedNew(id, endpoint.workspaceId, stored ? { sealed: stored.sealedSecret } : null);
      sender.endpointChanged(id);
      return { ...(await getEndpoint(ctx.db, id)), secret };
    },
    async deliveries({ endpointId, limit }) {
      await endpointOf(endpointId).catch((error: unknown) => {
        throw error instanceof ApiError && error.code === 'NOT_FOUND' ? new ApiError('NOT_FOUND', `endpointId: no webhook endpoint ${endpointId}`, { field: 'endpointId' }) : error;
      });
      return (await listDeliveries(ctx.db, endpointId, limit)).map(publicDelivery);
    },
    async redeliver({ deliveryId, endpointId }) {
      const endpoint = await endpointOf(endpointId ?? (await getDelivery(ctx.db, deliveryId!)).endpointId);
      const field = endpointId ? 'endpointId' : 'deliveryId';
      if (!endpoint.enabled) throw new ApiError('CONFLICT', `${field}: the endpoint is turned off; turn it on before redelivering.`, { field });
      // One conditional statement: a delivery already queued or being sent is not queued twice.
      await requeue(ctx.db, deliveryId ? { deliveryId } : { endpointId: endpointId! }, ctx.now(), giveUpAt());
      sender.kick([endpoint.id]);
      if (deliveryId) return [publicDelivery(await getDelivery(ctx.db, deliveryId))];
      return (await listDeliveries(ctx.db, endpoint.id, 500)).filter((d) => d.status === 'queued').map(publicDelivery);
    },
    async sendTest({ id }) {
      const endpoint = await endpointOf(id);
      requireDeliversHere(endpoint, 'send the test from there');
      const at = ctx.now();
      const { workspaceId } = endpoint;
      const event = { id: newWebhookId(), type: webhookTestEventType, body: eventBody(webhookTestEventType, at, workspaceId, { endpointId: id, message: 'A test event from Groundwork.' }) };
      const deliveryId = uuidv7();
      await insertEvent(ctx.db, { workspaceId, events: [event], deliveries: [{ id: deliveryId, eventId: event.id, endpointId: id }], at, giveUpAt: giveUpAt() });
      sender.kick([id]);
      return publicDelivery(await getDelivery(ctx.db, deliveryId));
    },
  } satisfies HandlersOf<'webhooks'>;

  return {
    handlers,
    sender,
    /**
     * An event of this replica that is no doc change (a job's alert, a Vercel deploy): into the
     * outbox for the endpoints here that want it, in one transaction, then the sender is kicked.
     * Callers call it only on the replica where the thing happened, so it goes out once.
     */
    record,
    /** A job failed after its retries or recovered (on the replica that runs it): `job.failed` / `job.recovered`. */
    async jobAlert(event: JobEvent): Promise<void> {
      if (!event.alert || !here.delivers(event.workspaceId)) return;
      const { rows } = await ctx.db.query<{ name: string; type: string }>('SELECT name, type FROM jobs WHERE id = $1', [event.jobId]);
      const { execution } = event;
      await record({
        workspaceId: event.workspaceId,
        type: event.alert === 'failed' ? 'job.failed' : 'job.recovered',
        data: {
          job: { id: event.jobId, name: rows[0]?.name ?? null, type: rows[0]?.type ?? null },
          execution: { id: execution.id, status: execution.status, attempt: execution.attempt, error: execution.error, startedAt: execution.startedAt, finishedAt: execution.finishedAt },
        },
      });
    },
    async start() {
      await here.load(ctx.db);
      await sender.start();
    },
    async close() {
      removeHook();
      await sender.close();
    },
  };
}
