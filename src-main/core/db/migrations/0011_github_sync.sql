-- GitHub sync (core/integrations/github/README.md).
--
-- Shared state, projected from each project's doc: task ↔ code links (`githubTaskLinks`: a
-- branch, commit, pull request or issue that names a task) and the moves pull requests made
-- (`githubMoves`: merged → done, opened → review; undoable). Both are written by the repo's sync
-- job runner only, with ids derived from what they name, so two replicas converge on one entry.
CREATE TABLE github_task_links (
  id          uuid PRIMARY KEY,
  project_id  uuid NOT NULL,
  task_id     uuid,
  repo        text NOT NULL,
  kind        text NOT NULL,
  ref         text NOT NULL,
  title       text NOT NULL,
  url         text NOT NULL,
  state       text NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  deleted_at  timestamptz
);
CREATE INDEX github_task_links_task ON github_task_links (task_id) WHERE deleted_at IS NULL;
CREATE INDEX github_task_links_ref ON github_task_links (lower(repo), kind, ref) WHERE deleted_at IS NULL;

CREATE TABLE github_task_moves (
  id             uuid PRIMARY KEY,
  project_id     uuid NOT NULL,
  task_id        uuid,
  repo           text NOT NULL,
  pull           int4 NOT NULL,
  pull_url       text NOT NULL,
  pull_title     text NOT NULL,
  rule           text NOT NULL,
  from_stage_id  uuid,
  to_stage_id    uuid,
  undone_at      timestamptz,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX github_task_moves_task ON github_task_moves (task_id, created_at DESC);

-- This replica's cache of what GitHub said, read with this person's own token: never synced, never
-- projected. `repo` is `owner/name` lower-cased (GitHub compares names case-insensitively).
CREATE TABLE github_repo_state (
  repo            text PRIMARY KEY,
  full_name       text NOT NULL,
  html_url        text NOT NULL,
  default_branch  text,
  synced_at       timestamptz,
  error           text
);

CREATE TABLE github_branches (
  repo  text NOT NULL,
  name  text NOT NULL,
  sha   text NOT NULL,
  PRIMARY KEY (repo, name)
);

CREATE TABLE github_commits (
  repo          text NOT NULL,
  sha           text NOT NULL,
  message       text NOT NULL,
  author        text,
  committed_at  timestamptz,
  url           text NOT NULL,
  PRIMARY KEY (repo, sha)
);
CREATE INDEX github_commits_recent ON github_commits (repo, committed_at DESC);

CREATE TABLE github_pulls (
  repo          text NOT NULL,
  number        int4 NOT NULL,
  title         text NOT NULL,
  body          text NOT NULL,
  state         text NOT NULL,
  author        text,
  head_ref      text NOT NULL,
  head_sha      text NOT NULL,
  base_ref      text NOT NULL,
  url           text NOT NULL,
  review_state  text,
  checks        text,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  merged_at     timestamptz,
  closed_at     timestamptz,
  PRIMARY KEY (repo, number)
);
CREATE INDEX github_pulls_recent ON github_pulls (repo, updated_at DESC);

CREATE TABLE github_runs (
  repo         text NOT NULL,
  id           int8 NOT NULL,
  name         text NOT NULL,
  event        text NOT NULL,
  status       text NOT NULL,
  conclusion   text,
  head_branch  text,
  head_sha     text NOT NULL,
  url          text NOT NULL,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (repo, id)
);
CREATE INDEX github_runs_recent ON github_runs (repo, created_at DESC);

CREATE TABLE github_deployments (
  repo         text NOT NULL,
  id           int8 NOT NULL,
  environment  text NOT NULL,
  ref          text NOT NULL,
  sha          text NOT NULL,
  state        text,
  url          text,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (repo, id)
);
CREATE INDEX github_deployments_recent ON github_deployments (repo, created_at DESC);
