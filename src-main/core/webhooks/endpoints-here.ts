/**
 * The endpoints this device delivers for (it holds their secret), with what they subscribe to, in
 * memory. The outbox hook asks it which endpoints want an event while a save is being written: a
 * save then costs nothing when no endpoint here wants its events, and writes plain rows when some
 * do — no query of the endpoints inside every save (that cost ~0.9 ms a save, bench/webhooks.ts).
 *
 * Kept true by: the rows at start; the secret made or dropped here (`hold` / `forget`, by the API);
 * every saved change of an endpoint (`observe`, from the hook's afterSave: this person's edit, a
 * teammate admin's through the relay, Groundwork turning one off). A task saved in the instant
 * between an endpoint's change and its afterSave is judged by the endpoint as it was — as if the
 * two changes had been made the other way round. The sender checks the endpoint again anyway.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { SavedChange } from '../sync/doc-store';

interface EndpointHere {
  workspaceId: string;
  events: ReadonlySet<string>;
  /** Enabled and not deleted. */
  live: boolean;
}

export class EndpointsHere {
  readonly #endpoints = new Map<string, EndpointHere>();

  async load(db: PGlite): Promise<void> {
    const { rows } = await db.query<{ id: string; workspace_id: string; events: string[] | null; enabled: boolean | null; deleted_at: Date | null }>(
      `SELECT s.endpoint_id AS id, s.workspace_id, e.events, e.enabled, e.deleted_at
       FROM webhook_secrets s LEFT JOIN webhook_endpoints e ON e.id = s.endpoint_id`,
    );
    for (const row of rows) {
      // A secret whose endpoint has not been projected yet is held, not live: its save will say more.
      this.#endpoints.set(row.id, { workspaceId: row.workspace_id, events: new Set(row.events ?? []), live: row.enabled === true && !row.deleted_at });
    }
  }

  /** Its secret was made here (before the endpoint is saved: that save's `observe` fills it in). */
  hold(endpointId: string, workspaceId: string): void {
    if (!this.#endpoints.has(endpointId)) this.#endpoints.set(endpointId, { workspaceId, events: new Set(), live: false });
  }

  forget(endpointId: string): void {
    this.#endpoints.delete(endpointId);
  }

  /** A saved change: endpoints held here take their saved fields; returns the ids of those that changed. */
  observe(change: SavedChange): string[] {
    const changed: string[] = [];
    for (const entity of change.entities) {
      if (entity.entity !== 'webhookEndpoint') continue;
      const held = this.#endpoints.get(entity.id);
      if (!held) continue;
      const map = entity.map;
      const events = map?.get('events');
      this.#endpoints.set(entity.id, {
        workspaceId: held.workspaceId,
        events: new Set(Array.isArray(events) ? (events as string[]) : []),
        live: !!map && map.get('enabled') === true && !map.get('deletedAt'),
      });
      changed.push(entity.id);
    }
    return changed;
  }

  /** Whether this device holds any endpoint of the workspace (most saves stop here). */
  delivers(workspaceId: string): boolean {
    for (const endpoint of this.#endpoints.values()) if (endpoint.workspaceId === workspaceId) return true;
    return false;
  }

  /** The live endpoints here of the workspace subscribed to `type`. */
  wanting(workspaceId: string, type: string): string[] {
    const ids: string[] = [];
    for (const [id, endpoint] of this.#endpoints) if (endpoint.workspaceId === workspaceId && endpoint.live && endpoint.events.has(type)) ids.push(id);
    return ids;
  }
}
