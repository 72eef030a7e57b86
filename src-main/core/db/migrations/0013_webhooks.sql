-- Outgoing webhooks (core/webhooks/README.md).
-- Endpoints: shared state in the workspace doc's `webhookEndpoints` map, projected here. No secret.
CREATE TABLE webhook_endpoints (
  id               uuid PRIMARY KEY,
  workspace_id     uuid NOT NULL,
  url              text NOT NULL,
  description      text NOT NULL,
  events           jsonb NOT NULL,                -- the event types it subscribes to, e.g. ["task.created"]
  enabled          boolean NOT NULL,
  disabled_reason  text,
  created_by       uuid,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  deleted_at       timestamptz
);
CREATE INDEX webhook_endpoints_workspace ON webhook_endpoints (workspace_id) WHERE deleted_at IS NULL;

-- local: the signing secrets this device holds, SEALED by main (never plaintext). The device that
-- holds an endpoint's secret is the one that delivers to it. During a rotation's overlap the
-- previous secret signs too, until `previous_until`.
CREATE TABLE webhook_secrets (
  endpoint_id      uuid PRIMARY KEY,
  workspace_id     uuid NOT NULL,
  sealed_secret    text NOT NULL,
  sealed_previous  text,
  previous_until   timestamptz
);

-- local: the outbox. One row per event (its id is the `webhook-id` header, stable across attempts),
-- written by the save hook IN the transaction that saves the change; one delivery per (event, endpoint).
CREATE TABLE webhook_events (
  id               text PRIMARY KEY,              -- msg_<uuidv7>
  workspace_id     uuid NOT NULL,
  type             text NOT NULL,
  body             text NOT NULL,                 -- the exact JSON that is signed and sent
  created_at       timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
  id               uuid PRIMARY KEY,
  event_id         text NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
  endpoint_id      uuid NOT NULL,
  workspace_id     uuid NOT NULL,
  status           text NOT NULL CHECK (status IN ('queued', 'sending', 'delivered', 'failed')),
  attempt          integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,                   -- queued only: when it is tried (again)
  give_up_at       timestamptz NOT NULL,          -- retries end here (3 days after it was queued)
  url              text,                          -- where the last attempt went
  response_status  integer,
  response_excerpt text,                          -- at most 1 KB of the answer
  error            text,
  duration_ms      integer,
  created_at       timestamptz NOT NULL,
  last_attempt_at  timestamptz,
  delivered_at     timestamptz,
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'queued';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
