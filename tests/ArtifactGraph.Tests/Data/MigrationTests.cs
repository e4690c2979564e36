using ArtifactGraph.Data;
using ArtifactGraph.Data.Migrations;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Data;

public sealed class MigrationTests
{
    private static readonly string[] Tables =
    [
        "artifact_approvals", "artifact_files", "artifact_versions", "artifactgraph_migrations", "directus_access", "directus_activity", "directus_files",
        "directus_folders", "directus_permissions", "directus_policies", "directus_revisions", "directus_roles", "directus_users", "projects", "task_artifacts",
        "tasks",
    ];

    /// <summary>
    /// Directus's own indexes of its activity and revisions tables, ArtifactGraph's three, and those chosen for scale (the
    /// trigram ones for search on PostgreSQL only, where pg_trgm can be created, as on the test server).
    /// </summary>
    internal static string[] ExtraIndexes(DatabaseClient client) =>
    [
        "directus_activity_timestamp_index", "directus_revisions_activity_index", "directus_revisions_parent_index",
        "idx_artifact_files_version_sort", "idx_artifact_versions_created", "idx_artifact_versions_path", "idx_artifact_versions_project_created",
        "idx_artifact_versions_project_status",
        .. client == DatabaseClient.Postgres ? (string[])["idx_artifact_versions_schema_key_trgm", "idx_artifact_versions_status_trgm"] : [],
        "idx_one_approved_per_path", "idx_task_artifacts_task_sort",
    ];

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Migrate_emptyDatabase_createsEveryTableAndExactlyTheExpectedExtraIndexes(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);

        Assert.Equal(Tables, await SchemaQueries.TablesAsync(db));
        Assert.Equal(ExtraIndexes(client), await SchemaQueries.ExtraIndexesAsync(db));
    }

    /// <summary>
    /// Search's trigram indexes keep a small pending list (64 kB, not GIN's 4 MB default), which every search reads
    /// whole: see migration 0008.
    /// </summary>
    [Fact]
    public async Task Migrate_postgres_searchIndexesKeepASmallPendingList()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Postgres);

        var options = await db.QueryAsync("""
            SELECT c.relname || ' ' || array_to_string(c.reloptions, ',') FROM pg_class c
            WHERE c.relname IN ('idx_artifact_versions_schema_key_trgm', 'idx_artifact_versions_status_trgm')
            ORDER BY c.relname
            """);

        Assert.Equal(
            ["idx_artifact_versions_schema_key_trgm gin_pending_list_limit=64", "idx_artifact_versions_status_trgm gin_pending_list_limit=64"],
            options);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Migrate_secondRun_appliesNothing(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client, migrate: false);
        var first = db.Migrate();

        var second = db.Migrate();

        Assert.NotEmpty(first);
        Assert.Empty(second);
        Assert.Equal(first.Count, await db.CountAsync(DatabaseMigrator.JournalTable));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Migrate_emptyDatabase_enforcesArtifactGraphDeleteRules(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        await db.ExecuteAsync("""
            INSERT INTO projects (id, context_version) VALUES ('11111111-0000-4000-8000-000000000001', 0);
            INSERT INTO tasks (id, project_id) VALUES ('22222222-0000-4000-8000-000000000001', '11111111-0000-4000-8000-000000000001');
            INSERT INTO task_artifacts (task_id, sort) VALUES ('22222222-0000-4000-8000-000000000001', 1);
            """);

        await Assert.ThrowsAnyAsync<Exception>(() => db.ExecuteAsync("DELETE FROM projects"));
        await db.ExecuteAsync("DELETE FROM tasks");

        Assert.Equal(0, await db.CountAsync("task_artifacts"));
        Assert.Equal(1, await db.CountAsync("projects"));
    }
}
