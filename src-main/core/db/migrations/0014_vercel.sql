-- Vercel (core/integrations/vercel). Numbered 0014: 0013 is reserved for outgoing webhooks.
-- Vercel projects linked to projects: shared state in the workspace doc's `vercelLinks` map,
-- projected here. The id is derived from (project, Vercel project), so linking twice — even on
-- two replicas at once — is one entry. The Vercel token is NOT here: it is local and sealed.
CREATE TABLE vercel_links (
  id                  uuid PRIMARY KEY,
  workspace_id        uuid NOT NULL,
  project_id          uuid,
  vercel_project_id   text NOT NULL,
  vercel_project_name text NOT NULL,
  -- The Vercel project's git repo (`owner/name`), matched against pull requests linked to tasks.
  repo                text,
  -- The replica that writes the tasks' deploy marks for this link (the one that linked it).
  runner              text NOT NULL DEFAULT '',
  linked_by           uuid,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  deleted_at          timestamptz
);
CREATE INDEX vercel_links_project ON vercel_links (project_id) WHERE deleted_at IS NULL;

-- The release monitor's checks of a production deployment (LOCAL: each replica records the checks
-- its own jobs made). Health is computed from these rows since the deploy.
CREATE TABLE vercel_checks (
  id             bigserial PRIMARY KEY,
  deployment_id  text NOT NULL,
  url            text NOT NULL,
  checked_at     timestamptz NOT NULL,
  up             boolean NOT NULL,
  status         int,
  latency_ms     int,
  error          text
);
CREATE INDEX vercel_checks_deployment ON vercel_checks (deployment_id, checked_at);

-- Automatic rollbacks (LOCAL): one row per failing deployment, inserted before the request goes
-- out, so one incident never causes two rollbacks (the primary key decides, not a read).
CREATE TABLE vercel_auto_rollbacks (
  deployment_id     text PRIMARY KEY,
  vercel_project_id text NOT NULL,
  to_deployment_id  text,
  reason            text NOT NULL,
  created_at        timestamptz NOT NULL,
  error             text
);

-- Tasks know they shipped: the task's `deploy` field (shared, in the project doc; written by the
-- link's runner replica): { state: deployed | rolled_back | failed, environment, deploymentId, url, at, pull }.
ALTER TABLE tasks ADD COLUMN deploy jsonb;
