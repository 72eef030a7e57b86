-- local: GitHub actions this machine's person took from the app (create a branch or an issue,
-- dispatch a workflow, create a deployment), kept durably until GitHub has them and sent once
-- (core/integrations/github/action-queue.ts). An outbox: never synced, never projected, drained
-- only by this replica with its own token, so an action goes out once, not once per teammate.
-- No token is ever stored here: `input` holds what was asked, the token stays sealed in settings.
CREATE TABLE github_actions (
  id               uuid PRIMARY KEY,
  workspace_id     uuid NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('branch', 'issue', 'workflow', 'deployment')),
  repo             text NOT NULL,                 -- owner/name as asked
  task_id          uuid,
  input            jsonb NOT NULL,                -- what was asked, fixed when queued (branch name, issue text…)
  prepared         jsonb,                         -- what a send resolved before its request (a branch's base sha), for the effect check
  state            text NOT NULL CHECK (state IN ('queued', 'sending', 'done', 'failed', 'cancelled')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,                   -- queued only: when the timer tries it again
  sending_since    timestamptz,                   -- when the last attempt was marked sending (the effect check looks from here)
  sent_by          text,                          -- the login whose token the last attempt used (an issue's creator)
  -- A request may have reached GitHub without its answer reaching us (a crash, a close, a timeout,
  -- a 5xx): before sending again, GitHub is asked whether the effect is already there.
  effect_unknown   boolean NOT NULL DEFAULT false,
  error            text,
  result           jsonb,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX github_actions_workspace ON github_actions (workspace_id, created_at DESC, id DESC);
CREATE INDEX github_actions_due ON github_actions (next_attempt_at) WHERE state = 'queued';
