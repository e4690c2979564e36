-- The three indexes ArtifactGraph adds (the same names as on PostgreSQL).

CREATE UNIQUE INDEX IF NOT EXISTS idx_one_approved_per_path
    ON artifact_versions (project_id, schema_key) WHERE status = 'approved';

CREATE INDEX IF NOT EXISTS idx_artifact_files_version_sort ON artifact_files (artifact_version_id, sort);

CREATE INDEX IF NOT EXISTS idx_task_artifacts_task_sort ON task_artifacts (task_id, sort);
