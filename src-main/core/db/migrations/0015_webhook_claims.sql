-- Outgoing webhooks: a lane claims an endpoint's due deliveries oldest first, a batch at a time
-- (webhooks.repo.ts `claimDue`). This index serves that claim in order, so a claim reads its
-- batch and no more, however long the endpoint's backlog (without it, each claim read and sorted
-- the whole backlog: ~23 ms at 10,000 queued, every batch).
CREATE INDEX webhook_deliveries_claim ON webhook_deliveries (endpoint_id, next_attempt_at, created_at, event_id, id) WHERE status = 'queued';
