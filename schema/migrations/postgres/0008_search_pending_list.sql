-- Search's trigram indexes (0007) keep at most 64 kB of recent entries in their pending list, not the 4 MB default.
-- A GIN index with fastupdate (PostgreSQL's default) appends each insert's entries to an unsorted pending list, merged
-- into the index when the list outgrows gin_pending_list_limit or at vacuum; every search reads that whole list. Each
-- write of a version adds to it (a status change is not a HOT update: these indexes read status and schema_key), so
-- under writes a search paid for up to 4 MB of it: measured on the 100k data set with pgbench (2 clients updating
-- versions' status for 10 s, then one client searching "spec/doc-0"), 6,260 pending entries and 5.1 ms per search,
-- against 46 entries and 1.3 ms with 64 kB, and 0.6 ms right after a vacuum; the updates ran at 17.8k and 16.6k per
-- second (within the noise of each other; fastupdate off: 11.9k). Where pg_trgm was not available the indexes are
-- not there and nothing changes.
ALTER INDEX IF EXISTS idx_artifact_versions_schema_key_trgm SET (gin_pending_list_limit = 64);
ALTER INDEX IF EXISTS idx_artifact_versions_status_trgm SET (gin_pending_list_limit = 64);
