-- Change history: one row per changed field of a project, stage or task (one per created entity),
-- written by a save hook in the same transaction as the change itself, for local and remote
-- changes alike. Derived on each replica as changes arrive, so it survives compaction of the
-- update log; never synced itself. Rows belong to a project (a project's own rows name itself), so
-- a workspace's history is that of its projects: re-keying the workspace leaves them as they are.
CREATE TABLE change_history (
  seq          bigserial NOT NULL,
  project_id   uuid NOT NULL,
  entity       text NOT NULL,
  entity_id    uuid NOT NULL,
  action       text NOT NULL,
  field        text,
  old_value    text,
  new_value    text,
  actor_id     uuid,
  origin       text NOT NULL,
  at           timestamptz NOT NULL
);
CREATE INDEX change_history_entity ON change_history (entity_id, seq DESC);
CREATE INDEX change_history_project ON change_history (project_id, seq DESC);
