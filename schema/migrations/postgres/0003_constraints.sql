-- Unique and foreign-key constraints, named as Directus names them. Each is added only when no
-- constraint of that name exists on the table: on a Directus database the existing ones (whose
-- foreign keys are all ON DELETE SET NULL) are kept, and the server enforces the delete rules.

CREATE OR REPLACE FUNCTION pg_temp.ag_ensure_constraint(tbl text, con text, def text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = con AND conrelid = tbl::regclass) THEN
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', tbl, con, def);
    END IF;
END
$$;

SELECT pg_temp.ag_ensure_constraint('artifact_approvals', 'artifact_approvals_artifact_version_id_unique',
    'UNIQUE (artifact_version_id)');

SELECT pg_temp.ag_ensure_constraint('directus_users', 'directus_users_role_foreign',
    'FOREIGN KEY (role) REFERENCES directus_roles (id) ON DELETE SET NULL');
SELECT pg_temp.ag_ensure_constraint('directus_folders', 'directus_folders_parent_foreign',
    'FOREIGN KEY (parent) REFERENCES directus_folders (id)');
SELECT pg_temp.ag_ensure_constraint('directus_files', 'directus_files_folder_foreign',
    'FOREIGN KEY (folder) REFERENCES directus_folders (id) ON DELETE SET NULL');
SELECT pg_temp.ag_ensure_constraint('directus_files', 'directus_files_uploaded_by_foreign',
    'FOREIGN KEY (uploaded_by) REFERENCES directus_users (id)');
SELECT pg_temp.ag_ensure_constraint('directus_files', 'directus_files_modified_by_foreign',
    'FOREIGN KEY (modified_by) REFERENCES directus_users (id)');

SELECT pg_temp.ag_ensure_constraint('tasks', 'tasks_project_id_foreign',
    'FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT');
SELECT pg_temp.ag_ensure_constraint('artifact_versions', 'artifact_versions_project_id_foreign',
    'FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT');
SELECT pg_temp.ag_ensure_constraint('artifact_versions', 'artifact_versions_primary_file_id_foreign',
    'FOREIGN KEY (primary_file_id) REFERENCES directus_files (id) ON DELETE SET NULL');
SELECT pg_temp.ag_ensure_constraint('artifact_files', 'artifact_files_artifact_version_id_foreign',
    'FOREIGN KEY (artifact_version_id) REFERENCES artifact_versions (id) ON DELETE CASCADE');
SELECT pg_temp.ag_ensure_constraint('artifact_files', 'artifact_files_directus_files_id_foreign',
    'FOREIGN KEY (directus_files_id) REFERENCES directus_files (id) ON DELETE CASCADE');
SELECT pg_temp.ag_ensure_constraint('task_artifacts', 'task_artifacts_task_id_foreign',
    'FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE');
SELECT pg_temp.ag_ensure_constraint('task_artifacts', 'task_artifacts_artifact_version_id_foreign',
    'FOREIGN KEY (artifact_version_id) REFERENCES artifact_versions (id) ON DELETE CASCADE');
SELECT pg_temp.ag_ensure_constraint('artifact_approvals', 'artifact_approvals_project_id_foreign',
    'FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT');
SELECT pg_temp.ag_ensure_constraint('artifact_approvals', 'artifact_approvals_artifact_version_id_foreign',
    'FOREIGN KEY (artifact_version_id) REFERENCES artifact_versions (id) ON DELETE RESTRICT');
