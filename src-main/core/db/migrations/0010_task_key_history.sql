-- Old task keys: a task renumbered after offline work, or a project whose key changed, is still
-- found by the key people wrote in branches and commits (integrations/github/task-keys.ts). The
-- change history already records every former number and key (old_value of the `number` and `key`
-- fields, as JSON text); this partial index makes "who had WEB-5 before" one lookup instead of a
-- scan of the workspace's whole history. Only those rows enter it, so other edits pay nothing.
CREATE INDEX change_history_former_keys ON change_history (old_value, project_id) WHERE field IN ('key', 'number');
