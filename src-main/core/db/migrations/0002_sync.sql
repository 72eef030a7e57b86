-- Team sync: which log rows came from the relay (the rest are this machine's own changes, counted
-- as "not yet synced" until the relay confirms them).
ALTER TABLE doc_updates ADD COLUMN from_remote boolean NOT NULL DEFAULT false;
