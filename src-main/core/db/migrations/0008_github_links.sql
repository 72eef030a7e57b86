-- Repos linked to projects (core/integrations/github): shared state in the workspace doc's
-- `githubLinks` map, projected here so links are queryable (a project's repos; the projects a
-- repo's activity may touch). The id is derived from (project, repo), so two replicas linking the
-- same repo at once write the same entry. The GitHub token is NOT here: it is local and sealed.
CREATE TABLE github_links (
  id            uuid PRIMARY KEY,
  workspace_id  uuid NOT NULL,
  project_id    uuid,
  repo          text NOT NULL,
  linked_by     uuid,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  deleted_at    timestamptz
);
CREATE INDEX github_links_project ON github_links (project_id) WHERE deleted_at IS NULL;
CREATE INDEX github_links_repo ON github_links (workspace_id, lower(repo)) WHERE deleted_at IS NULL;
