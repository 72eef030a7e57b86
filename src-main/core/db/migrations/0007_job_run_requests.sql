-- Run requests (core/jobs/README.md, "Run requests"): a member's Run now on a device that is not
-- the job's runner is written into the job's doc entry; the runner serves it once and records
-- which one it served. Both are projected here so every replica can show them.
ALTER TABLE jobs ADD COLUMN run_request jsonb;
ALTER TABLE jobs ADD COLUMN last_run_request jsonb;
