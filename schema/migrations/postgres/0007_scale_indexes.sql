-- Indexes chosen by profiling at one million artifact versions (tests/bench.sh --scenario frontend, see README's
-- "Indexes"): each serves queries of the frontend's set that otherwise read the whole table. Figures: PostgreSQL's
-- execution time of the query's statement on the benchmark's 1M data set, without → with the index (one query at a
-- time, measured with EXPLAIN ANALYZE; the machine was loaded, so the absolute figures are high, the ratios are what
-- counts).

-- "latest versions", artifact_versions(sort: ["-date_created"], limit: 100): a scan and sort of every row, 1,139 ms
-- → 0.7 ms (the first 100 entries read in order; the primary key breaks ties, as the query's ORDER BY does).
CREATE INDEX IF NOT EXISTS idx_artifact_versions_created ON artifact_versions USING btree (date_created DESC, id);

-- A project's versions, newest first (filter project_id, sort -date_created): 587 ms → 0.9 ms. Its status lets a
-- project's versions be counted by status from the index alone (artifact_versions_aggregated with groupBy status,
-- filtered by project: a scan of every row before, the project's entries only after). It also serves every other
-- filter on project_id, which has no index of its own.
CREATE INDEX IF NOT EXISTS idx_artifact_versions_project_created
    ON artifact_versions USING btree (project_id, date_created DESC, id) INCLUDE (status);

-- One path's versions (filter schema_key, and project_id; sort -version): 516 ms → 0.1 ms; a path's drafts
-- (schema_key and status, no project): 541 ms → 0.03 ms. schema_key first, so the path alone is enough.
CREATE INDEX IF NOT EXISTS idx_artifact_versions_path ON artifact_versions USING btree (schema_key, project_id, version);

-- search (Directus's: lower(field) LIKE '%term%' on every string field, OR'ed): trigram indexes on both string fields
-- of artifact_versions, so that PostgreSQL can combine them (BitmapOr) instead of reading every row: 540 ms → 3.6 ms
-- for a term that matches a few rows (a term that matches most rows still reads in key order and stops at the limit).
-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension; where it cannot be created (no privilege, or not
-- installed), these two indexes are left out and search reads the table as before.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported OR object_not_in_prerequisite_state THEN
    RAISE NOTICE 'pg_trgm is not available (%): search on artifact_versions stays without indexes', SQLERRM;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX IF NOT EXISTS idx_artifact_versions_schema_key_trgm ON artifact_versions USING gin (lower(schema_key) gin_trgm_ops);
        CREATE INDEX IF NOT EXISTS idx_artifact_versions_status_trgm ON artifact_versions USING gin (lower(status) gin_trgm_ops);
    END IF;
END
$$;
