/**
 * The webhook outbox save hook: the events of a saved change are written to `webhook_events` and
 * `webhook_deliveries` by statements INSIDE the save transaction — a change and its events are
 * durable together or not at all. Only on the device that holds the endpoint's secret (one
 * device per endpoint), for endpoints enabled, live and subscribed to the event type
 * (endpoints-here.ts knows them without a query). That device delivers what happens in the
 * workspace: changes made on it (a person, a job) and teammates' changes as they arrive through the
 * relay — each change reaches it once (Yjs applies an update it already has as nothing), so each
 * event goes out once, not once per teammate. Not Groundwork's own bookkeeping (renumbering, migrations), which every replica does.
 */
import { uuidv7 } from 'uuidv7';
import type { SaveHook, SavedChange } from '../sync/doc-store';
import type { EndpointsHere } from './endpoints-here';
import { eventsOfChange, type OutgoingEvent } from './webhook-events';
import { outboxStatements } from './webhooks.repo';

/** How long a delivery is retried (Standard Webhooks' providers retry for days; the issue asks 3). */
export const retryWindowMs = 3 * 24 * 60 * 60_000;

export interface OutboxHookOptions {
  /** The endpoints this device delivers for, and what they want. */
  endpoints: EndpointsHere;
  /** After a save that queued deliveries: send them (the endpoints they are for). */
  queued(endpointIds: readonly string[]): void;
  /** An endpoint held here changed (by anyone: its sender reads it again). */
  changed(endpointId: string): void;
}

export function outboxHook({ endpoints, queued, changed }: OutboxHookOptions): SaveHook {
  // The endpoints a change's statements queued deliveries for, for afterSave (kept no longer than the save).
  const queuedFor = new WeakMap<SavedChange, string[]>();
  return {
    name: 'webhook-outbox',
    statements(change) {
      // People and jobs, here or on a teammate's replica (remote); renumbering (system, on every
      // replica) and migrations are not events.
      if (change.origin.kind === 'system' || change.origin.kind === 'migration') return [];
      const { workspaceId } = change.room;
      if (!endpoints.delivers(workspaceId)) return [];
      // The endpoints wanting each type, asked once per type (a body is built only for a wanted one).
      const wanting = new Map<string, string[]>();
      const wanted = (type: string) => {
        let ids = wanting.get(type);
        if (!ids) wanting.set(type, (ids = endpoints.wanting(workspaceId, type)));
        return ids.length > 0;
      };
      const events: OutgoingEvent[] = eventsOfChange(change, wanted);
      const deliveries = events.flatMap((event) => wanting.get(event.type)!.map((endpointId) => ({ id: uuidv7(), eventId: event.id, endpointId })));
      if (events.length === 0) return [];
      queuedFor.set(change, [...new Set(deliveries.map((d) => d.endpointId))]);
      const giveUpAt = new Date(Date.parse(change.at) + retryWindowMs).toISOString();
      return outboxStatements({ workspaceId, events, deliveries, at: change.at, giveUpAt });
    },
    afterSave(change) {
      for (const endpointId of endpoints.observe(change)) changed(endpointId);
      const endpointIds = queuedFor.get(change);
      if (endpointIds) queued(endpointIds);
    },
  };
}
