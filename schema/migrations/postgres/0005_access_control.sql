-- Directus 11's access control tables, reduced to the columns ArtifactGraph reads: policies, their
-- attachment to roles and users (a row with neither is the public's), and per-collection permissions.
-- On a Directus database they exist already and nothing is changed: ArtifactGraph then honours the
-- permissions configured in Directus.

CREATE TABLE IF NOT EXISTS directus_policies (
    id uuid NOT NULL,
    name character varying(100) NOT NULL,
    icon character varying(64) DEFAULT 'badge'::character varying NOT NULL,
    description text,
    admin_access boolean DEFAULT false NOT NULL,
    app_access boolean DEFAULT false NOT NULL,
    CONSTRAINT directus_policies_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS directus_access (
    id uuid NOT NULL,
    role uuid,
    "user" uuid,
    policy uuid NOT NULL,
    sort integer,
    CONSTRAINT directus_access_pkey PRIMARY KEY (id),
    CONSTRAINT directus_access_role_foreign FOREIGN KEY (role) REFERENCES directus_roles (id) ON DELETE CASCADE,
    CONSTRAINT directus_access_user_foreign FOREIGN KEY ("user") REFERENCES directus_users (id) ON DELETE CASCADE,
    CONSTRAINT directus_access_policy_foreign FOREIGN KEY (policy) REFERENCES directus_policies (id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS directus_permissions (
    id serial NOT NULL,
    collection character varying(64) NOT NULL,
    action character varying(10) NOT NULL,
    permissions json,
    validation json,
    presets json,
    fields text,
    policy uuid NOT NULL,
    CONSTRAINT directus_permissions_pkey PRIMARY KEY (id),
    CONSTRAINT directus_permissions_policy_foreign FOREIGN KEY (policy) REFERENCES directus_policies (id) ON DELETE CASCADE
);
