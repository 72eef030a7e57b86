/**
 * The webhook outbox save hook: the events of a saved change are written to `webhook_events` and
 * `webhook_deliveries` by statements INSIDE the save transaction — a change and its events are
 * durable together or not at all. Only for changes made on this device (a person here, a job run
 * here), never for a teammate's change arriving through the relay: each event goes out from the
 * replica where it happened, once, not once per teammate. And only to endpoints whose secret this
 * device holds (the SQL joins `webhook_secrets`), enabled, live and subscribed to the event type.
 */
import type { SaveHook, SavedChange } from '../sync/doc-store';
import { eventsOfChange } from './webhook-events';

/** How long a delivery is retried (Standard Webhooks' providers retry for days; the issue asks 3). */
export const retryWindowMs = 3 * 24 * 60 * 60_000;

/**
 * Two statements for all of a change's events (the doc store chains them with the log append and
 * the projection into one statement of CTEs, which is why neither has a WITH of its own): the
 * event rows only where some endpoint wants them, and one delivery per (event, endpoint). Both
 * choose the endpoints by the same condition in the same snapshot, so they agree.
 */
const eventRows = 'unnest($2::text[], $3::text[], $4::text[]) AS i(id, type, body)';
const wanting = `webhook_endpoints e JOIN webhook_secrets s ON s.endpoint_id = e.id
  WHERE e.workspace_id = $1 AND e.enabled AND e.deleted_at IS NULL AND e.events ? i.type`;
const insertEvents = `INSERT INTO webhook_events (id, workspace_id, type, body, created_at)
  SELECT i.id, $1, i.type, i.body, $5 FROM ${eventRows} WHERE EXISTS (SELECT 1 FROM ${wanting})`;
const insertDeliveries = `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, workspace_id, status, next_attempt_at, give_up_at, created_at)
  SELECT gen_random_uuid(), i.id, e.id, $1, 'queued', $5, $6, $5 FROM ${eventRows} CROSS JOIN LATERAL (SELECT e.id FROM ${wanting}) e`;

export interface OutboxHookOptions {
  /** Whether this device holds any endpoint secret of the workspace: most saves then skip the statement. */
  mayDeliver(workspaceId: string): boolean;
  /** After a save that may have queued deliveries: send them. */
  queued(): void;
}

export function outboxHook(options: OutboxHookOptions): SaveHook {
  // The changes whose statements queued events, for afterSave (kept no longer than the save).
  const withEvents = new WeakSet<SavedChange>();
  return {
    name: 'webhook-outbox',
    statements(change) {
      // Local people and jobs run here write events; a teammate's change (remote), renumbering
      // (system, on every replica) and migrations do not.
      if (change.origin.kind !== 'local' && change.origin.kind !== 'job') return [];
      if (!options.mayDeliver(change.room.workspaceId)) return [];
      const events = eventsOfChange(change);
      if (events.length === 0) return [];
      withEvents.add(change);
      const giveUpAt = new Date(Date.parse(change.at) + retryWindowMs).toISOString();
      const ids = events.map((e) => e.id);
      const types = events.map((e) => e.type);
      const bodies = events.map((e) => e.body);
      const at = change.at;
      return [
        { sql: insertEvents, params: [change.room.workspaceId, ids, types, bodies, at] },
        { sql: insertDeliveries, params: [change.room.workspaceId, ids, types, bodies, at, giveUpAt] },
      ];
    },
    afterSave(change) {
      if (withEvents.has(change)) options.queued();
    },
  };
}
