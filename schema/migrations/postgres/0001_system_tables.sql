-- Directus's system tables, reduced to the columns ArtifactGraph reads and writes.
-- On a database Directus already manages these tables exist with many more columns: nothing
-- is recreated, only the columns ArtifactGraph needs and Directus may lack are added
-- (Directus 11+ keeps admin access on policies, so directus_roles has no admin_access).

CREATE TABLE IF NOT EXISTS directus_roles (
    id uuid NOT NULL,
    name character varying(100) NOT NULL,
    icon character varying(64),
    description text,
    admin_access boolean DEFAULT false NOT NULL,
    CONSTRAINT directus_roles_pkey PRIMARY KEY (id)
);

ALTER TABLE directus_roles ADD COLUMN IF NOT EXISTS icon character varying(64);
ALTER TABLE directus_roles ADD COLUMN IF NOT EXISTS description text;
ALTER TABLE directus_roles ADD COLUMN IF NOT EXISTS admin_access boolean DEFAULT false NOT NULL;

CREATE TABLE IF NOT EXISTS directus_users (
    id uuid NOT NULL,
    first_name character varying(50),
    last_name character varying(50),
    email character varying(128),
    password character varying(255),
    status character varying(16) DEFAULT 'active'::character varying NOT NULL,
    role uuid,
    token character varying(255),
    CONSTRAINT directus_users_pkey PRIMARY KEY (id),
    CONSTRAINT directus_users_email_unique UNIQUE (email),
    CONSTRAINT directus_users_token_unique UNIQUE (token)
);

ALTER TABLE directus_users ADD COLUMN IF NOT EXISTS first_name character varying(50);
ALTER TABLE directus_users ADD COLUMN IF NOT EXISTS last_name character varying(50);
ALTER TABLE directus_users ADD COLUMN IF NOT EXISTS email character varying(128);
ALTER TABLE directus_users ADD COLUMN IF NOT EXISTS password character varying(255);
ALTER TABLE directus_users ADD COLUMN IF NOT EXISTS status character varying(16) DEFAULT 'active'::character varying NOT NULL;
ALTER TABLE directus_users ADD COLUMN IF NOT EXISTS role uuid;
ALTER TABLE directus_users ADD COLUMN IF NOT EXISTS token character varying(255);

CREATE TABLE IF NOT EXISTS directus_folders (
    id uuid NOT NULL,
    name character varying(255) NOT NULL,
    parent uuid,
    CONSTRAINT directus_folders_pkey PRIMARY KEY (id)
);

ALTER TABLE directus_folders ADD COLUMN IF NOT EXISTS parent uuid;

CREATE TABLE IF NOT EXISTS directus_files (
    id uuid NOT NULL,
    storage character varying(255) NOT NULL,
    filename_disk character varying(255),
    filename_download character varying(255) NOT NULL,
    title character varying(255),
    type character varying(255),
    folder uuid,
    uploaded_by uuid,
    created_on timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    modified_by uuid,
    modified_on timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    charset character varying(50),
    filesize bigint,
    width integer,
    height integer,
    duration integer,
    embed character varying(200),
    description text,
    location text,
    tags text,
    metadata json,
    focal_point_x integer,
    focal_point_y integer,
    tus_id character varying(64),
    tus_data json,
    uploaded_on timestamp with time zone,
    CONSTRAINT directus_files_pkey PRIMARY KEY (id)
);

ALTER TABLE directus_files ADD COLUMN IF NOT EXISTS focal_point_x integer;
ALTER TABLE directus_files ADD COLUMN IF NOT EXISTS focal_point_y integer;
ALTER TABLE directus_files ADD COLUMN IF NOT EXISTS tus_id character varying(64);
ALTER TABLE directus_files ADD COLUMN IF NOT EXISTS tus_data json;
ALTER TABLE directus_files ADD COLUMN IF NOT EXISTS uploaded_on timestamp with time zone;
