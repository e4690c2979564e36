-- Directus's accountability tables (see ../postgres/0006_activity.sql).

CREATE TABLE IF NOT EXISTS directus_activity (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    action varchar(45) NOT NULL,
    "user" char(36),
    "timestamp" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ip varchar(50),
    user_agent TEXT,
    collection varchar(64) NOT NULL,
    item varchar(255) NOT NULL,
    origin varchar(255)
);

CREATE TABLE IF NOT EXISTS directus_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    activity integer NOT NULL,
    collection varchar(64) NOT NULL,
    item varchar(255) NOT NULL,
    data TEXT,
    delta TEXT,
    parent integer,
    version char(36),
    CONSTRAINT directus_revisions_activity_foreign FOREIGN KEY (activity) REFERENCES directus_activity (id) ON DELETE CASCADE,
    CONSTRAINT directus_revisions_parent_foreign FOREIGN KEY (parent) REFERENCES directus_revisions (id)
);

CREATE INDEX IF NOT EXISTS directus_activity_timestamp_index ON directus_activity ("timestamp");
CREATE INDEX IF NOT EXISTS directus_revisions_activity_index ON directus_revisions (activity);
CREATE INDEX IF NOT EXISTS directus_revisions_parent_index ON directus_revisions (parent);
