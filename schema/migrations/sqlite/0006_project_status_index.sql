-- A project's versions counted by status (see ../postgres/0009_project_status_index.sql); the same name.
CREATE INDEX IF NOT EXISTS idx_artifact_versions_project_status ON artifact_versions (project_id, status);
