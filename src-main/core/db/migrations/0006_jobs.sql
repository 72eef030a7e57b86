-- Scheduled jobs (core/jobs). Definitions are shared state in the workspace doc, projected here;
-- executions and their logs are local to the replica that runs them and never synced.

-- projection of the workspace doc's `jobs` map (with the summary the runner writes back)
CREATE TABLE jobs (
  id                     uuid PRIMARY KEY,
  workspace_id           uuid NOT NULL,
  project_id             uuid,
  name                   text NOT NULL,
  type                   text NOT NULL,
  params                 jsonb NOT NULL,
  schedule               text NOT NULL,
  timezone               text NOT NULL,
  enabled                boolean NOT NULL,
  retry_max_attempts     integer NOT NULL,
  retry_backoff_seconds  integer NOT NULL,
  timeout_seconds        integer NOT NULL,
  catch_up               text NOT NULL,
  runner                 text NOT NULL,
  last_run_at            timestamptz,
  last_status            text,
  next_run_at            timestamptz,
  consecutive_failures   integer NOT NULL,
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  deleted_at             timestamptz
);
CREATE INDEX jobs_workspace ON jobs (workspace_id) WHERE deleted_at IS NULL;

-- local: this replica's runs of the jobs it runs
CREATE TABLE job_executions (
  id            uuid PRIMARY KEY,
  job_id        uuid NOT NULL,
  workspace_id  uuid NOT NULL,
  status        text NOT NULL,
  trigger       text NOT NULL,
  attempt       integer NOT NULL,
  queued_at     timestamptz NOT NULL,
  started_at    timestamptz,
  finished_at   timestamptz,
  duration_ms   integer,
  error         text,
  result        jsonb,
  progress      jsonb
);
CREATE INDEX job_executions_job ON job_executions (job_id, queued_at DESC, id DESC);
CREATE INDEX job_executions_unfinished ON job_executions (status) WHERE status IN ('queued', 'running');

-- local: what an execution logged
CREATE TABLE job_log (
  id            bigserial PRIMARY KEY,
  execution_id  uuid NOT NULL,
  at            timestamptz NOT NULL,
  level         text NOT NULL,
  message       text NOT NULL
);
CREATE INDEX job_log_execution ON job_log (execution_id, id);
CREATE INDEX job_log_at ON job_log (at);
