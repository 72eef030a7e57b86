/**
 * SQL of outgoing webhooks (migration 0013): reads of the `webhook_endpoints` projection, this
 * device's sealed secrets, and the outbox (`webhook_events` + `webhook_deliveries`). Every state
 * change of a delivery is one statement conditional on the state it leaves, so two callers can
 * never both move a delivery out of one state (two redelivers at once make one send).
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { Statement } from '../sync/projection';
import { ApiError, type WebhookDelivery, type WebhookDeliveryStatus, type WebhookEndpoint, type WebhookEventType } from '../../contract';

type Db = PGlite | Transaction;
const iso = (date: Date | null) => (date ? date.toISOString() : null);

interface EndpointRow {
  id: string;
  workspace_id: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  enabled: boolean;
  disabled_reason: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  delivers_here: boolean;
}

const endpointSelect = `SELECT e.id, e.workspace_id, e.url, e.description, e.events, e.enabled, e.disabled_reason, e.created_by,
  e.created_at, e.updated_at, (s.endpoint_id IS NOT NULL) AS delivers_here
  FROM webhook_endpoints e LEFT JOIN webhook_secrets s ON s.endpoint_id = e.id`;

const toEndpoint = (row: EndpointRow): WebhookEndpoint => ({
  id: row.id,
  workspaceId: row.workspace_id,
  url: row.url,
  description: row.description,
  events: row.events,
  enabled: row.enabled,
  disabledReason: row.disabled_reason,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  deliversHere: row.delivers_here,
});

export async function listEndpoints(db: Db, workspaceId: string): Promise<WebhookEndpoint[]> {
  const { rows } = await db.query<EndpointRow>(`${endpointSelect} WHERE e.workspace_id = $1 AND e.deleted_at IS NULL ORDER BY e.created_at, e.id`, [workspaceId]);
  return rows.map(toEndpoint);
}

export async function getEndpoint(db: Db, id: string): Promise<WebhookEndpoint> {
  const { rows } = await db.query<EndpointRow>(`${endpointSelect} WHERE e.id = $1 AND e.deleted_at IS NULL`, [id]);
  if (!rows[0]) throw new ApiError('NOT_FOUND', `id: no webhook endpoint ${id}`, { field: 'id', id });
  return toEndpoint(rows[0]);
}

// ---- secrets (local, sealed) ----

export interface SealedSecrets {
  endpointId: string;
  workspaceId: string;
  sealedSecret: string;
  sealedPrevious: string | null;
  previousUntil: string | null;
}

export async function readSealedSecrets(db: Db, endpointId: string): Promise<SealedSecrets | null> {
  const { rows } = await db.query<{ endpoint_id: string; workspace_id: string; sealed_secret: string; sealed_previous: string | null; previous_until: Date | null }>(
    'SELECT * FROM webhook_secrets WHERE endpoint_id = $1',
    [endpointId],
  );
  const row = rows[0];
  return row
    ? { endpointId: row.endpoint_id, workspaceId: row.workspace_id, sealedSecret: row.sealed_secret, sealedPrevious: row.sealed_previous, previousUntil: iso(row.previous_until) }
    : null;
}

export async function writeSealedSecrets(db: Db, secrets: SealedSecrets): Promise<void> {
  await db.query(
    `INSERT INTO webhook_secrets (endpoint_id, workspace_id, sealed_secret, sealed_previous, previous_until) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (endpoint_id) DO UPDATE SET sealed_secret = $3, sealed_previous = $4, previous_until = $5`,
    [secrets.endpointId, secrets.workspaceId, secrets.sealedSecret, secrets.sealedPrevious, secrets.previousUntil],
  );
}

/** Drops an endpoint's secret and its undelivered deliveries (the endpoint was deleted). */
export async function forgetEndpoint(db: PGlite, endpointId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM webhook_secrets WHERE endpoint_id = $1', [endpointId]);
    await tx.query("DELETE FROM webhook_deliveries WHERE endpoint_id = $1 AND status IN ('queued', 'failed')", [endpointId]);
  });
}

// ---- the outbox ----

interface DeliveryRow {
  id: string;
  event_id: string;
  endpoint_id: string;
  workspace_id: string;
  status: WebhookDeliveryStatus;
  attempt: number;
  next_attempt_at: Date | null;
  give_up_at: Date;
  url: string | null;
  response_status: number | null;
  response_excerpt: string | null;
  error: string | null;
  duration_ms: number | null;
  created_at: Date;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  type: string;
  body: string;
  endpoint_url: string | null;
}

/** A delivery with what the sender needs besides what the log shows. */
export interface StoredDelivery extends WebhookDelivery {
  giveUpAt: string;
}

const deliverySelect = `SELECT d.*, ev.type, ev.body, e.url AS endpoint_url
  FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id`;

const toDelivery = (row: DeliveryRow): StoredDelivery => ({
  id: row.id,
  endpointId: row.endpoint_id,
  workspaceId: row.workspace_id,
  webhookId: row.event_id,
  eventType: row.type,
  attempt: row.attempt,
  status: row.status,
  responseStatus: row.response_status,
  responseExcerpt: row.response_excerpt,
  error: row.error,
  durationMs: row.duration_ms,
  request: { url: row.url ?? row.endpoint_url ?? '', body: row.body },
  createdAt: row.created_at.toISOString(),
  lastAttemptAt: iso(row.last_attempt_at),
  nextAttemptAt: iso(row.next_attempt_at),
  deliveredAt: iso(row.delivered_at),
  giveUpAt: row.give_up_at.toISOString(),
});

export function publicDelivery(delivery: StoredDelivery): WebhookDelivery {
  const { giveUpAt: _giveUpAt, ...shown } = delivery;
  return shown;
}

export async function getDelivery(db: Db, id: string): Promise<StoredDelivery> {
  const { rows } = await db.query<DeliveryRow>(`${deliverySelect} WHERE d.id = $1`, [id]);
  if (!rows[0]) throw new ApiError('NOT_FOUND', `deliveryId: no webhook delivery ${id} on this device`, { field: 'deliveryId', id });
  return toDelivery(rows[0]);
}

export async function listDeliveries(db: Db, endpointId: string, limit: number): Promise<StoredDelivery[]> {
  const { rows } = await db.query<DeliveryRow>(`${deliverySelect} WHERE d.endpoint_id = $1 ORDER BY d.created_at DESC, d.event_id DESC, d.id DESC LIMIT $2`, [endpointId, limit]);
  return rows.map(toDelivery);
}

/** The events going into the outbox, and one delivery per (event, endpoint) wanting it. */
export interface OutboxRows {
  workspaceId: string;
  events: { id: string; type: string; body: string }[];
  deliveries: { id: string; eventId: string; endpointId: string }[];
  at: string;
  giveUpAt: string;
}

/**
 * The outbox's two INSERTs (events, then deliveries; no WITH of their own, so the doc store can
 * chain them with a save's other statements into one). The save hook returns them; `insertEvent` runs them.
 */
export function outboxStatements({ workspaceId, events, deliveries, at, giveUpAt }: OutboxRows): Statement[] {
  return [
    {
      sql: `INSERT INTO webhook_events (id, workspace_id, type, body, created_at)
        SELECT i.id, $1, i.type, i.body, $5 FROM unnest($2::text[], $3::text[], $4::text[]) AS i(id, type, body)`,
      params: [workspaceId, events.map((e) => e.id), events.map((e) => e.type), events.map((e) => e.body), at],
    },
    {
      sql: `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, workspace_id, status, next_attempt_at, give_up_at, created_at)
        SELECT d.id, d.event_id, d.endpoint_id, $1, 'queued', $5, $6, $5 FROM unnest($2::uuid[], $3::text[], $4::uuid[]) AS d(id, event_id, endpoint_id)`,
      params: [workspaceId, deliveries.map((d) => d.id), deliveries.map((d) => d.eventId), deliveries.map((d) => d.endpointId), at, giveUpAt],
    },
  ];
}

/** Events that are no doc change (sendTest, job alerts, deploys): the same rows the save hook writes, in one transaction. */
export async function insertEvent(db: PGlite, rows: OutboxRows): Promise<void> {
  if (rows.deliveries.length === 0) return;
  await db.transaction(async (tx) => {
    for (const { sql, params } of outboxStatements(rows)) await tx.query(sql, params);
  });
}

/** Endpoints with a queued delivery due by `now` (each gets a lane in the sender). */
export async function endpointsWithDue(db: Db, now: string): Promise<string[]> {
  // One probe of the claim index per endpoint (migration 0015), not a read of the whole backlog.
  const { rows } = await db.query<{ id: string }>(
    `SELECT e.id FROM webhook_endpoints e
     WHERE EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'queued' AND d.next_attempt_at <= $1)`,
    [now],
  );
  return rows.map((row) => row.id);
}

/**
 * When the sender must look again: the earliest queued delivery, leaving out those already due of
 * the endpoints being sent to now (`busy`: their lanes hold or will claim them — and a delivery
 * out in a request is still `queued`, so counting it would arm a timer for the past, again and again).
 */
export async function nextDueAt(db: Db, now: string, busy: readonly string[]): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(
    "SELECT min(next_attempt_at) AS at FROM webhook_deliveries WHERE status = 'queued' AND (next_attempt_at > $1 OR endpoint_id <> ALL($2::uuid[]))",
    [now, busy],
  );
  return rows[0]?.at ?? null;
}

/**
 * Up to `limit` of an endpoint's due deliveries, oldest first, leaving out those the lane already
 * has (claimed, not yet answered). Nothing is written: a delivery stays `queued` until its answer
 * is recorded, so a crash before that leaves it queued and the next start sends it again with the
 * same `webhook-id` (at least once). One lane per endpoint on the one device holding its secret
 * means nobody else takes it meanwhile. Served in order by the claim index (migration 0015).
 */
export async function claimDue(db: Db, endpointId: string, now: string, limit: number, excluding: readonly string[]): Promise<StoredDelivery[]> {
  // Only what sending and the answer's log event need: a backlog reads tens of thousands of rows,
  // and each column (each timestamp most) is parsed in JS.
  const { rows } = await db.query<Pick<DeliveryRow, 'id' | 'event_id' | 'workspace_id' | 'attempt' | 'created_at' | 'give_up_at' | 'delivered_at' | 'type' | 'body'>>(
    `SELECT d.id, d.event_id, d.workspace_id, d.attempt, d.created_at, d.give_up_at, d.delivered_at, ev.type, ev.body
     FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id
     WHERE d.endpoint_id = $1 AND d.status = 'queued' AND d.next_attempt_at <= $2 AND d.id <> ALL($4::uuid[])
     ORDER BY d.next_attempt_at, d.created_at, d.event_id, d.id LIMIT $3`,
    [endpointId, now, limit, excluding],
  );
  return rows.map((row) => ({
    id: row.id,
    endpointId,
    workspaceId: row.workspace_id,
    webhookId: row.event_id,
    eventType: row.type,
    attempt: row.attempt,
    status: 'queued',
    responseStatus: null,
    responseExcerpt: null,
    error: null,
    durationMs: null,
    request: { url: '', body: row.body },
    createdAt: row.created_at.toISOString(),
    lastAttemptAt: null,
    nextAttemptAt: now,
    deliveredAt: iso(row.delivered_at),
    giveUpAt: row.give_up_at.toISOString(),
  }));
}

export interface AttemptResult {
  status: 'delivered' | 'queued' | 'failed';
  /** Where the request went, and when. */
  url: string;
  attemptedAt: string;
  responseStatus: number | null;
  responseExcerpt: string | null;
  error: string | null;
  durationMs: number;
  nextAttemptAt: string | null;
}

/**
 * Records a batch's answers in one statement: each delivery's attempt, its answer and what comes
 * next. Only deliveries still queued — and one failed by its endpoint being turned off while its
 * request was out (same attempt), when the receiver took it: the log says delivered, and "redeliver
 * all failed" does not send it again. Any other failure keeps its `failed`.
 */
export async function settleAttempts(db: Db, attempts: { id: string; attempt: number; result: AttemptResult }[], now: string): Promise<void> {
  if (attempts.length === 0) return;
  const column = <K extends keyof AttemptResult>(key: K) => attempts.map((a) => a.result[key]);
  await db.query(
    `UPDATE webhook_deliveries d SET status = r.status, attempt = d.attempt + 1, url = r.url, last_attempt_at = r.attempted_at,
       response_status = r.response_status, response_excerpt = r.response_excerpt, error = r.error, duration_ms = r.duration_ms,
       next_attempt_at = r.next_attempt_at, delivered_at = CASE WHEN r.status = 'delivered' THEN $10::timestamptz ELSE d.delivered_at END
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::int[], $6::text[], $7::text[], $8::int[], $9::timestamptz[], $11::int[])
       AS r(id, status, url, attempted_at, response_status, response_excerpt, error, duration_ms, next_attempt_at, attempt)
     -- "= ANY" lets the planner find the rows by primary key (a join alone read the whole table).
     WHERE d.id = ANY($1::uuid[]) AND d.id = r.id
       AND (d.status = 'queued' OR (d.status = 'failed' AND r.status = 'delivered' AND d.attempt = r.attempt))`,
    [
      attempts.map((a) => a.id),
      column('status'),
      column('url'),
      column('attemptedAt'),
      column('responseStatus'),
      column('responseExcerpt'),
      column('error'),
      column('durationMs'),
      column('nextAttemptAt'),
      now,
      attempts.map((a) => a.attempt),
    ],
  );
}

/** A delivery as `settleAttempts` leaves it after `result` (for the log's event, without reading it back). */
export function answeredDelivery(delivery: StoredDelivery, result: AttemptResult, now: string): StoredDelivery {
  return {
    ...delivery,
    status: result.status,
    attempt: delivery.attempt + 1,
    request: { ...delivery.request, url: result.url },
    responseStatus: result.responseStatus,
    responseExcerpt: result.responseExcerpt,
    error: result.error,
    durationMs: result.durationMs,
    lastAttemptAt: result.attemptedAt,
    nextAttemptAt: result.nextAttemptAt,
    deliveredAt: result.status === 'delivered' ? now : delivery.deliveredAt,
  };
}

/** Queues deliveries again (a redeliver): only those not queued or sending now; returns the ids it moved. */
export async function requeue(db: Db, where: { deliveryId: string } | { endpointId: string }, now: string, giveUpAt: string): Promise<string[]> {
  const [condition, param] = 'deliveryId' in where ? ["id = $1 AND status IN ('delivered', 'failed')", where.deliveryId] : ["endpoint_id = $1 AND status = 'failed'", where.endpointId];
  const { rows } = await db.query<{ id: string }>(
    `UPDATE webhook_deliveries SET status = 'queued', next_attempt_at = $2, give_up_at = $3, error = NULL WHERE ${condition} RETURNING id`,
    [param, now, giveUpAt],
  );
  return rows.map((row) => row.id);
}

/**
 * At start: deliveries an earlier version left `sending` at a crash are queued again (their
 * request may or may not have arrived), due when they were claimed, keeping their place. This
 * version never writes `sending`: a delivery stays `queued` until its answer is recorded.
 */
export async function requeueInterrupted(db: Db, now: string): Promise<number> {
  const result = await db.query("UPDATE webhook_deliveries SET status = 'queued', next_attempt_at = least(coalesce(last_attempt_at, $1), $1) WHERE status = 'sending'", [now]);
  return result.affectedRows ?? 0;
}

/** An endpoint turned off: its queued deliveries end as failed (redeliver them once it is on again). */
export async function failQueued(db: Db, endpointId: string, why: string): Promise<void> {
  await db.query("UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, error = $2 WHERE endpoint_id = $1 AND status = 'queued'", [endpointId, why]);
}

/** Drops events older than `before` whose every delivery has ended (delivered or failed), with their log rows. */
export async function pruneEnded(db: Db, before: string): Promise<number> {
  const result = await db.query(
    `DELETE FROM webhook_events ev WHERE ev.created_at < $1
       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = ev.id AND d.status IN ('queued', 'sending'))`,
    [before],
  );
  return result.affectedRows ?? 0;
}
