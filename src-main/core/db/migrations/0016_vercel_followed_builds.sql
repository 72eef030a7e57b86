-- local: the builds this replica follows to their end (integrations/vercel/build-follow.ts). Kept
-- across a quit, a crash or a restart: a build that ends while the app is closed still gets its
-- deploy.ready / deploy.failed webhook event, its tasks' deploy marks and its release monitor at
-- the next start. A row goes once its end has been handled.
CREATE TABLE vercel_followed_builds (
  deployment_id  text PRIMARY KEY,
  workspace_id   uuid NOT NULL,
  project_id     uuid NOT NULL,                 -- the Groundwork project the build is shown under
  followed_at    timestamptz NOT NULL
);
