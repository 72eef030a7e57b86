-- The local replica. Tables marked "projection" are derived from the Yjs docs and can be rebuilt
-- from them at any time; "local" tables belong to this machine only and are never synced.

-- local: machine settings (profile, current workspace, the profile's member id per workspace)
CREATE TABLE settings (
  key   text PRIMARY KEY,
  value jsonb NOT NULL
);

-- local: personal favourites
CREATE TABLE favorites (
  project_id uuid PRIMARY KEY
);

-- the Yjs update log: every update of every doc, appended in the same transaction as its projection
CREATE TABLE doc_updates (
  seq    bigserial PRIMARY KEY,
  room   text NOT NULL,
  update bytea NOT NULL
);
CREATE INDEX doc_updates_room ON doc_updates (room, seq);

-- compacted state of a doc: every update up to `through_seq` merged into one
CREATE TABLE doc_snapshots (
  room        text PRIMARY KEY,
  state       bytea NOT NULL,
  through_seq bigint NOT NULL
);

-- projection of each workspace doc
CREATE TABLE workspaces (
  id         uuid PRIMARY KEY,
  name       text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE members (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL,
  name         text NOT NULL,
  color        text NOT NULL
);
CREATE INDEX members_workspace ON members (workspace_id);

CREATE TABLE projects (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL,
  name         text NOT NULL,
  key          text NOT NULL,
  description  text NOT NULL,
  status       text NOT NULL,
  client_name  text NOT NULL,
  start_date   date,
  end_date     date,
  deliverables jsonb NOT NULL,
  notes        text NOT NULL,
  tags         jsonb NOT NULL,
  color        text NOT NULL,
  archived_at  timestamptz,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  deleted_at   timestamptz
);
CREATE INDEX projects_workspace ON projects (workspace_id) WHERE deleted_at IS NULL;

-- projection of each project doc
CREATE TABLE stages (
  id           uuid PRIMARY KEY,
  project_id   uuid NOT NULL,
  name         text NOT NULL,
  order_key    text COLLATE "C" NOT NULL,
  is_done      boolean NOT NULL,
  deleted_at   timestamptz
);
CREATE INDEX stages_project ON stages (project_id, order_key);

CREATE TABLE tasks (
  id             uuid PRIMARY KEY,
  project_id     uuid NOT NULL,
  number         integer NOT NULL,
  title          text NOT NULL,
  description    text NOT NULL,
  stage_id       uuid NOT NULL,
  order_key      text COLLATE "C" NOT NULL,
  priority       text NOT NULL,
  assignee_ids   jsonb NOT NULL,
  labels         jsonb NOT NULL,
  due_date       date,
  estimate_hours double precision,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  deleted_at     timestamptz
);
-- the board query: a project's live tasks by stage, in order
CREATE INDEX tasks_board ON tasks (project_id, stage_id, order_key, id) WHERE deleted_at IS NULL;
