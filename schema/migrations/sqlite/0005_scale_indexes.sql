-- The indexes chosen by profiling at one million artifact versions (see ../postgres/0007_scale_indexes.sql for the
-- query each serves and its figures); the same names. SQLite has no INCLUDE (status is the last key column instead)
-- and no trigram index: search reads the table.

CREATE INDEX IF NOT EXISTS idx_artifact_versions_created ON artifact_versions (date_created DESC, id);

CREATE INDEX IF NOT EXISTS idx_artifact_versions_project_created ON artifact_versions (project_id, date_created DESC, id, status);

CREATE INDEX IF NOT EXISTS idx_artifact_versions_path ON artifact_versions (schema_key, project_id, version);
