-- Directus 11's access control tables (see ../postgres/0005_access_control.sql).

CREATE TABLE IF NOT EXISTS directus_policies (
    id TEXT NOT NULL,
    name varchar(100) NOT NULL,
    icon varchar(64) NOT NULL DEFAULT 'badge',
    description TEXT,
    admin_access boolean NOT NULL DEFAULT 0,
    app_access boolean NOT NULL DEFAULT 0,
    CONSTRAINT directus_policies_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS directus_access (
    id TEXT NOT NULL,
    role TEXT,
    "user" TEXT,
    policy TEXT NOT NULL,
    sort integer,
    CONSTRAINT directus_access_pkey PRIMARY KEY (id),
    CONSTRAINT directus_access_role_foreign FOREIGN KEY (role) REFERENCES directus_roles (id) ON DELETE CASCADE,
    CONSTRAINT directus_access_user_foreign FOREIGN KEY ("user") REFERENCES directus_users (id) ON DELETE CASCADE,
    CONSTRAINT directus_access_policy_foreign FOREIGN KEY (policy) REFERENCES directus_policies (id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS directus_permissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    collection varchar(64) NOT NULL,
    action varchar(10) NOT NULL,
    permissions TEXT,
    validation TEXT,
    presets TEXT,
    fields TEXT,
    policy TEXT NOT NULL,
    CONSTRAINT directus_permissions_policy_foreign FOREIGN KEY (policy) REFERENCES directus_policies (id) ON DELETE CASCADE
);
