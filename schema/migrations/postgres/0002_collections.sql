-- The ArtifactGraph collections, exactly as Directus creates them (see directus-ddl.sql):
-- uuid keys without defaults, serial integer keys (sequence <table>_id_seq), nullable columns.

CREATE TABLE IF NOT EXISTS projects (
    id uuid NOT NULL,
    date_created timestamp with time zone,
    date_updated timestamp with time zone,
    name character varying(255),
    context json,
    context_version integer DEFAULT 0 NOT NULL,
    CONSTRAINT projects_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS tasks (
    id uuid NOT NULL,
    project_id uuid,
    title character varying(255),
    status character varying(255),
    CONSTRAINT tasks_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS artifact_versions (
    id uuid NOT NULL,
    date_created timestamp with time zone,
    project_id uuid,
    schema_key character varying(255),
    version integer,
    status character varying(255) DEFAULT 'draft'::character varying,
    content json,
    primary_file_id uuid,
    CONSTRAINT artifact_versions_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS artifact_files (
    id serial NOT NULL,
    artifact_version_id uuid,
    directus_files_id uuid,
    sort integer,
    CONSTRAINT artifact_files_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS task_artifacts (
    id serial NOT NULL,
    task_id uuid,
    artifact_version_id uuid,
    sort integer,
    CONSTRAINT task_artifacts_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS artifact_approvals (
    id serial NOT NULL,
    artifact_version_id uuid,
    project_id uuid,
    approved_at timestamp with time zone,
    context_version integer,
    CONSTRAINT artifact_approvals_pkey PRIMARY KEY (id)
);
