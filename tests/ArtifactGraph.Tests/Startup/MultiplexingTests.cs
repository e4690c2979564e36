using ArtifactGraph.Data;
using ArtifactGraph.Data.Migrations;
using ArtifactGraph.Server.Invalidation;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;
using ArtifactGraph.Tests.Invalidation;

namespace ArtifactGraph.Tests.Startup;

/// <summary>
/// Npgsql's <c>Multiplexing=true</c> in <c>DB_CONNECTION_STRING</c> needs pooling. The migration lock and the
/// invalidation listener each open an unpooled connection of their own from that string; with the setting kept, the
/// server failed to start ("Pooling must be on to use multiplexing").
/// </summary>
public sealed class MultiplexingTests
{
    [Fact]
    public async Task A_connection_string_with_multiplexing_migrates_serves_and_listens()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseClient.Postgres, migrate: false);
        var multiplexed = database.ConnectionString + ";Multiplexing=true";

        Assert.NotEmpty(DatabaseMigrator.Migrate(DatabaseClient.Postgres, multiplexed));
        await database.ImportSeedAsync();
        await using var server = await ServerProcess.StartAsync(database, new Dictionary<string, string> { ["DB_CONNECTION_STRING"] = multiplexed });

        using var admin = Nodes.Client(server, ServerFixture.AdminToken);
        var (_, read) = await Nodes.PostAsync(admin, "/graphql", "{ projects(sort: [\"name\"]) { name } }");
        Assert.Equal("""{"data":{"projects":[{"name":"Apollo"},{"name":"Borealis"}]}}""", read!.ToJsonString());
        var (_, written) = await Nodes.PostAsync(admin, "/graphql", "mutation { create_projects_item(data: { name: \"Cassini\", context_version: 0 }) { name } }");
        Assert.Equal("""{"data":{"create_projects_item":{"name":"Cassini"}}}""", written!.ToJsonString());
        Assert.True(
            await Nodes.Until(TimeSpan.FromSeconds(15), async () => (await database.QueryAsync(
                $"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = '{ChangeNotifications.ListenerApplicationName}' AND query LIKE 'LISTEN%'")).Count == 1),
            "the invalidation listener never listened");
    }
}
