using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Data;

/// <summary>ArtifactGraph pointed at the PostgreSQL database of a running Directus.</summary>
public sealed class DirectusDatabaseMigrationTests
{
    // The system tables as Directus 11+ has them, reduced: no admin_access on roles (it moved to policies), and the
    // access control tables (policies, their attachment to roles and users, permissions).
    internal const string DirectusSystemTables = """
        CREATE TABLE directus_roles (id uuid PRIMARY KEY, name varchar(100) NOT NULL,
            icon varchar(64) NOT NULL DEFAULT 'supervised_user_circle', description text, parent uuid);
        CREATE TABLE directus_users (id uuid PRIMARY KEY, first_name varchar(50), last_name varchar(50),
            email varchar(128) CONSTRAINT directus_users_email_unique UNIQUE, password varchar(255),
            status varchar(16) NOT NULL DEFAULT 'active',
            role uuid CONSTRAINT directus_users_role_foreign REFERENCES directus_roles (id) ON DELETE SET NULL,
            token varchar(255) CONSTRAINT directus_users_token_unique UNIQUE);
        CREATE TABLE directus_folders (id uuid PRIMARY KEY, name varchar(255) NOT NULL,
            parent uuid CONSTRAINT directus_folders_parent_foreign REFERENCES directus_folders (id));
        CREATE TABLE directus_policies (id uuid PRIMARY KEY, name varchar(100) NOT NULL, icon varchar(64) NOT NULL DEFAULT 'badge',
            description text, ip_access text, enforce_tfa boolean NOT NULL DEFAULT false, admin_access boolean NOT NULL DEFAULT false,
            app_access boolean NOT NULL DEFAULT false);
        CREATE TABLE directus_access (id uuid PRIMARY KEY,
            role uuid CONSTRAINT directus_access_role_foreign REFERENCES directus_roles (id) ON DELETE CASCADE,
            "user" uuid CONSTRAINT directus_access_user_foreign REFERENCES directus_users (id) ON DELETE CASCADE,
            policy uuid NOT NULL CONSTRAINT directus_access_policy_foreign REFERENCES directus_policies (id) ON DELETE CASCADE, sort integer);
        CREATE TABLE directus_permissions (id serial PRIMARY KEY, collection varchar(64) NOT NULL, action varchar(10) NOT NULL,
            permissions json, validation json, presets json, fields text,
            policy uuid NOT NULL CONSTRAINT directus_permissions_policy_foreign REFERENCES directus_policies (id) ON DELETE CASCADE);
        CREATE TABLE directus_activity (id serial PRIMARY KEY, action varchar(45) NOT NULL, "user" uuid,
            "timestamp" timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP, ip varchar(50), user_agent text,
            collection varchar(64) NOT NULL, item varchar(255) NOT NULL, origin varchar(255));
        CREATE INDEX directus_activity_timestamp_index ON directus_activity ("timestamp");
        CREATE TABLE directus_revisions (id serial PRIMARY KEY,
            activity integer NOT NULL CONSTRAINT directus_revisions_activity_foreign REFERENCES directus_activity (id) ON DELETE CASCADE,
            collection varchar(64) NOT NULL, item varchar(255) NOT NULL, data json, delta json,
            parent integer CONSTRAINT directus_revisions_parent_foreign REFERENCES directus_revisions (id), version uuid);
        CREATE INDEX directus_revisions_activity_index ON directus_revisions (activity);
        CREATE INDEX directus_revisions_parent_index ON directus_revisions (parent);
        """;

    private const string Constraints = """
        SELECT conrelid::regclass::text || '.' || conname || ':' || confdeltype::text FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'artifactgraph_migrations' ORDER BY 1
        """;

    [Fact]
    public async Task Migrate_databaseCreatedByDirectus_addsOnlyWhatIsMissing()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Postgres, migrate: false);
        await db.ExecuteAsync(DirectusSystemTables);
        await db.ExecuteAsync(await File.ReadAllTextAsync(SharedPaths.DirectusDdl));
        var constraintsBefore = await db.QueryAsync(Constraints);
        var sequencesBefore = await db.QueryAsync("SELECT sequencename FROM pg_sequences WHERE sequencename NOT LIKE 'artifactgraph_migrations%' ORDER BY 1");

        var applied = db.Migrate();

        Assert.Equal(SchemaQueries.PostgresScripts, applied.Count);
        Assert.Equal(applied.Count, await db.CountAsync("artifactgraph_migrations"));
        Assert.Equal(MigrationTests.ExtraIndexes(DatabaseClient.Postgres), await SchemaQueries.ExtraIndexesAsync(db));
        Assert.Equal(constraintsBefore, await db.QueryAsync(Constraints));
        Assert.Contains("tasks.tasks_project_id_foreign:n", constraintsBefore);
        Assert.Equal(sequencesBefore, await db.QueryAsync("SELECT sequencename FROM pg_sequences WHERE sequencename NOT LIKE 'artifactgraph_migrations%' ORDER BY 1"));
        Assert.Equal(
            ["false"],
            await db.QueryAsync("SELECT column_default FROM information_schema.columns WHERE table_name = 'directus_roles' AND column_name = 'admin_access'"));
        Assert.Empty(db.Migrate());
    }

    [Fact]
    public async Task Import_seedIntoDatabaseCreatedByDirectus_succeeds()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Postgres, migrate: false);
        await db.ExecuteAsync(DirectusSystemTables);
        await db.ExecuteAsync(await File.ReadAllTextAsync(SharedPaths.DirectusDdl));

        await db.ImportSeedAsync();

        Assert.Equal(12, await db.CountAsync("artifact_versions"));
        Assert.Equal(["True"], await db.QueryAsync("SELECT admin_access FROM directus_roles"));
    }
}
