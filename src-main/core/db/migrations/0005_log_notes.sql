-- Rows a save hook defers (the change history): kept as JSON in the change's own log row, so the
-- write path appends one row instead of inserting into another table and its indexes; the doc
-- store settles them into their tables before compaction and whenever a reader asks.
-- Shape: { "<table>": [[column values…], …] }.
ALTER TABLE doc_updates ADD COLUMN notes jsonb;
