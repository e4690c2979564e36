-- The only indexes ArtifactGraph adds on top of Directus's tables: one approved version per
-- path of a project (Directus has it too), and the junctions read in sort order per parent.

CREATE UNIQUE INDEX IF NOT EXISTS idx_one_approved_per_path
    ON artifact_versions USING btree (project_id, schema_key) WHERE ((status)::text = 'approved'::text);

CREATE INDEX IF NOT EXISTS idx_artifact_files_version_sort ON artifact_files USING btree (artifact_version_id, sort);

CREATE INDEX IF NOT EXISTS idx_task_artifacts_task_sort ON task_artifacts USING btree (task_id, sort);
