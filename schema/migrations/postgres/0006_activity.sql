-- Directus's accountability tables, as Directus 12 creates them: one directus_activity row per item and action,
-- one directus_revisions row per recorded create or update. On a Directus database they exist already and
-- nothing is changed: ArtifactGraph then adds to the history Directus keeps. The revisions' version column
-- (Directus's content versions, which ArtifactGraph does not keep) is created without its foreign key.

CREATE TABLE IF NOT EXISTS directus_activity (
    id serial NOT NULL,
    action character varying(45) NOT NULL,
    "user" uuid,
    "timestamp" timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    ip character varying(50),
    user_agent text,
    collection character varying(64) NOT NULL,
    item character varying(255) NOT NULL,
    origin character varying(255),
    CONSTRAINT directus_activity_pkey PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS directus_revisions (
    id serial NOT NULL,
    activity integer NOT NULL,
    collection character varying(64) NOT NULL,
    item character varying(255) NOT NULL,
    data json,
    delta json,
    parent integer,
    version uuid,
    CONSTRAINT directus_revisions_pkey PRIMARY KEY (id),
    CONSTRAINT directus_revisions_activity_foreign FOREIGN KEY (activity) REFERENCES directus_activity (id) ON DELETE CASCADE,
    CONSTRAINT directus_revisions_parent_foreign FOREIGN KEY (parent) REFERENCES directus_revisions (id)
);

CREATE INDEX IF NOT EXISTS directus_activity_timestamp_index ON directus_activity ("timestamp");
CREATE INDEX IF NOT EXISTS directus_revisions_activity_index ON directus_revisions (activity);
CREATE INDEX IF NOT EXISTS directus_revisions_parent_index ON directus_revisions (parent);
