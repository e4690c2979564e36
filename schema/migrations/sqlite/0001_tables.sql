-- The Directus tables ArtifactGraph serves, on SQLite: uuids, timestamps and json as TEXT,
-- serial ids as INTEGER PRIMARY KEY AUTOINCREMENT, the same constraint names and delete rules
-- as on PostgreSQL (see ../postgres).

CREATE TABLE IF NOT EXISTS directus_roles (
    id TEXT NOT NULL,
    name varchar(100) NOT NULL,
    icon varchar(64),
    description TEXT,
    admin_access boolean NOT NULL DEFAULT 0,
    CONSTRAINT directus_roles_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS directus_users (
    id TEXT NOT NULL,
    first_name varchar(50),
    last_name varchar(50),
    email varchar(128),
    password varchar(255),
    status varchar(16) NOT NULL DEFAULT 'active',
    role TEXT,
    token varchar(255),
    CONSTRAINT directus_users_pkey PRIMARY KEY (id),
    CONSTRAINT directus_users_email_unique UNIQUE (email),
    CONSTRAINT directus_users_token_unique UNIQUE (token),
    CONSTRAINT directus_users_role_foreign FOREIGN KEY (role) REFERENCES directus_roles (id) ON DELETE SET NULL
);

CREATE TABLE IF NOT EXISTS directus_folders (
    id TEXT NOT NULL,
    name varchar(255) NOT NULL,
    parent TEXT,
    CONSTRAINT directus_folders_pkey PRIMARY KEY (id),
    CONSTRAINT directus_folders_parent_foreign FOREIGN KEY (parent) REFERENCES directus_folders (id)
);

CREATE TABLE IF NOT EXISTS directus_files (
    id TEXT NOT NULL,
    storage varchar(255) NOT NULL,
    filename_disk varchar(255),
    filename_download varchar(255) NOT NULL,
    title varchar(255),
    type varchar(255),
    folder TEXT,
    uploaded_by TEXT,
    created_on TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    modified_by TEXT,
    modified_on TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    charset varchar(50),
    filesize bigint,
    width integer,
    height integer,
    duration integer,
    embed varchar(200),
    description TEXT,
    location TEXT,
    tags TEXT,
    metadata TEXT,
    focal_point_x integer,
    focal_point_y integer,
    tus_id varchar(64),
    tus_data TEXT,
    uploaded_on TEXT,
    CONSTRAINT directus_files_pkey PRIMARY KEY (id),
    CONSTRAINT directus_files_folder_foreign FOREIGN KEY (folder) REFERENCES directus_folders (id) ON DELETE SET NULL,
    CONSTRAINT directus_files_uploaded_by_foreign FOREIGN KEY (uploaded_by) REFERENCES directus_users (id),
    CONSTRAINT directus_files_modified_by_foreign FOREIGN KEY (modified_by) REFERENCES directus_users (id)
);

CREATE TABLE IF NOT EXISTS projects (
    id TEXT NOT NULL,
    date_created TEXT,
    date_updated TEXT,
    name varchar(255),
    context TEXT,
    context_version integer NOT NULL DEFAULT 0,
    CONSTRAINT projects_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS tasks (
    id TEXT NOT NULL,
    project_id TEXT,
    title varchar(255),
    status varchar(255),
    CONSTRAINT tasks_pkey PRIMARY KEY (id),
    CONSTRAINT tasks_project_id_foreign FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT
);

CREATE TABLE IF NOT EXISTS artifact_versions (
    id TEXT NOT NULL,
    date_created TEXT,
    project_id TEXT,
    schema_key varchar(255),
    version integer,
    status varchar(255) DEFAULT 'draft',
    content TEXT,
    primary_file_id TEXT,
    CONSTRAINT artifact_versions_pkey PRIMARY KEY (id),
    CONSTRAINT artifact_versions_project_id_foreign FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT,
    CONSTRAINT artifact_versions_primary_file_id_foreign FOREIGN KEY (primary_file_id) REFERENCES directus_files (id) ON DELETE SET NULL
);

CREATE TABLE IF NOT EXISTS artifact_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    artifact_version_id TEXT,
    directus_files_id TEXT,
    sort integer,
    CONSTRAINT artifact_files_artifact_version_id_foreign FOREIGN KEY (artifact_version_id) REFERENCES artifact_versions (id) ON DELETE CASCADE,
    CONSTRAINT artifact_files_directus_files_id_foreign FOREIGN KEY (directus_files_id) REFERENCES directus_files (id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS task_artifacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT,
    artifact_version_id TEXT,
    sort integer,
    CONSTRAINT task_artifacts_task_id_foreign FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE,
    CONSTRAINT task_artifacts_artifact_version_id_foreign FOREIGN KEY (artifact_version_id) REFERENCES artifact_versions (id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS artifact_approvals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    artifact_version_id TEXT,
    project_id TEXT,
    approved_at TEXT,
    context_version integer,
    CONSTRAINT artifact_approvals_artifact_version_id_unique UNIQUE (artifact_version_id),
    CONSTRAINT artifact_approvals_project_id_foreign FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE RESTRICT,
    CONSTRAINT artifact_approvals_artifact_version_id_foreign FOREIGN KEY (artifact_version_id) REFERENCES artifact_versions (id) ON DELETE RESTRICT
);
