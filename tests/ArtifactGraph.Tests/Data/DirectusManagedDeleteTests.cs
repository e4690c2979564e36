using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Data;

/// <summary>
/// On a database Directus created, every foreign key is <c>ON DELETE SET NULL</c>: the delete rules still hold
/// because the server applies them inside the delete's transaction.
/// </summary>
public sealed class DirectusManagedDeleteTests
{
    [Fact]
    public async Task Delete_rules_hold_on_a_database_whose_foreign_keys_all_set_null()
    {
        var database = await TestDatabase.CreateAsync(DatabaseClient.Postgres, migrate: false);
        await database.ExecuteAsync(DirectusDatabaseMigrationTests.DirectusSystemTables);
        await database.ExecuteAsync(await File.ReadAllTextAsync(SharedPaths.DirectusDdl));
        database.Migrate();
        await database.ImportSeedAsync();
        await using var h = new EngineHarness(database);
        Assert.Contains("task_artifacts.task_artifacts_task_id_foreign:n", await database.QueryAsync(
            "SELECT conrelid::regclass::text || '.' || conname || ':' || confdeltype::text FROM pg_constraint WHERE contype = 'f'"));

        // A task's links go with it (SET NULL alone would leave them behind without a task).
        Assert.DoesNotContain("errors", await h.ExecuteDirectusJsonAsync("""mutation { delete_tasks_item(id: "aaaaaaaa-0000-4000-8000-000000000001") { id } }"""));
        Assert.Equal(8L, await database.CountAsync("task_artifacts"));
        Assert.Equal(["0"], await database.QueryAsync("SELECT COUNT(*) FROM task_artifacts WHERE task_id IS NULL"));

        // A version with an approval row stays (SET NULL alone would erase the approval's link to it).
        var refused = await h.ExecuteDirectusJsonAsync("""mutation { delete_artifact_versions_item(id: "bbbbbbbb-0000-4000-8000-000000000007") { id } }""");
        Assert.Contains("INVALID_FOREIGN_KEY", refused);
        Assert.Equal(["bbbbbbbb-0000-4000-8000-000000000007"], await database.QueryAsync("SELECT artifact_version_id::text FROM artifact_approvals WHERE id = 2"));

        // A project in use stays, and so does a file that an approved version uses.
        Assert.Contains("INVALID_FOREIGN_KEY", await h.ExecuteDirectusJsonAsync("""mutation { delete_projects_item(id: "22222222-2222-4222-8222-222222222222") { id } }"""));
        Assert.Contains("INVALID_FOREIGN_KEY", await h.ExecuteDirectusJsonAsync(
            """mutation { delete_files_item(id: "cccccccc-0000-4000-8000-000000000005") { id } }""", Server.GraphQL.GraphQLScope.System));
        Assert.Equal(2L, await database.CountAsync("projects"));
        Assert.Equal(8L, await database.CountAsync("directus_files"));
        Assert.Equal(["cccccccc-0000-4000-8000-000000000005"], await database.QueryAsync(
            "SELECT primary_file_id::text FROM artifact_versions WHERE id = 'bbbbbbbb-0000-4000-8000-000000000008'"));
    }
}
