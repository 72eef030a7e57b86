/**
 * Webhook endpoints: shared state in the workspace doc's `webhookEndpoints` map (one Y.Map of plain
 * fields per endpoint), projected into `webhook_endpoints` (migration 0013), like `githubLinks`.
 * Deleting sets `deletedAt` (history keeps it). The signing secret is NOT here (secret-store.ts).
 */
import * as Y from 'yjs';
import { ApiError, type WebhookEventType } from '../../contract';
import type { CoreContext } from '../context';
import { assign, newEntity } from '../sync/fields';
import type { Origin } from '../sync/origins';
import { workspaceRoom } from '../sync/rooms';

export const WEBHOOK_ENDPOINTS = 'webhookEndpoints';

export interface EndpointFields {
  url?: string;
  description?: string;
  events?: WebhookEventType[];
  enabled?: boolean;
  /** Set when Groundwork turns the endpoint off; cleared when a person turns it on. */
  disabledReason?: string | null;
}

export function writeNewEndpoint(ctx: CoreContext, workspaceId: string, origin: Origin, id: string, fields: Required<Omit<EndpointFields, 'disabledReason'>>): Promise<void> {
  const createdBy = origin.kind === 'local' ? origin.memberId : null;
  return ctx.docs.write(workspaceRoom(workspaceId), origin, (doc) => {
    const now = ctx.now();
    doc.getMap<unknown>(WEBHOOK_ENDPOINTS).set(id, newEntity({ ...fields, disabledReason: null, createdBy, createdAt: now, updatedAt: now, deletedAt: null }));
  });
}

/** Changes a live endpoint's fields; NOT_FOUND (writing nothing) when it is gone. */
export async function writeEndpointFields(ctx: CoreContext, workspaceId: string, origin: Origin, id: string, fields: EndpointFields & { deleted?: boolean }): Promise<void> {
  const found = await ctx.docs.write(workspaceRoom(workspaceId), origin, (doc) => {
    const map = doc.getMap<unknown>(WEBHOOK_ENDPOINTS).get(id);
    if (!(map instanceof Y.Map) || map.get('deletedAt')) return false;
    const { deleted, ...plain } = fields;
    const now = ctx.now();
    assign(map, { ...plain, updatedAt: now, ...(deleted ? { deletedAt: now } : {}) });
    return true;
  });
  if (!found) throw new ApiError('NOT_FOUND', `id: no webhook endpoint ${id}`, { field: 'id', id });
}
