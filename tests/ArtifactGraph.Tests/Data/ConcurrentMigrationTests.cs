using ArtifactGraph.Data;
using ArtifactGraph.Data.Migrations;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Data;

/// <summary>Several nodes started together on one empty PostgreSQL database: each comes up, the schema is applied once.</summary>
public sealed class ConcurrentMigrationTests
{
    private const string StartupCategory = "Logging__LogLevel__ArtifactGraph.Server.Startup.DatabaseStartup";

    [Fact]
    public async Task Migrate_fourMigratorsAtOnceOnAnEmptyDatabase_allSucceedAndEachScriptRunsOnce()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Postgres, migrate: false);
        using var start = new Barrier(4);

        var runs = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return db.Migrate();
            },
            TaskCreationOptions.LongRunning)).ToList();
        var applied = await Task.WhenAll(runs);

        var scripts = Assert.Single(applied, a => a.Count > 0);
        Assert.Equal(3, applied.Count(a => a.Count == 0));
        Assert.Equal(scripts.Count, await db.CountAsync(DatabaseMigrator.JournalTable));
        Assert.Equal(scripts.Count, (await db.QueryAsync($"SELECT DISTINCT scriptname FROM {DatabaseMigrator.JournalTable}")).Count);
    }

    [Fact]
    public async Task Start_threeServersAtOnceOnAnEmptyDatabase_allAnswerAndOneAppliesTheMigrations()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Postgres, migrate: false);
        var environment = new Dictionary<string, string> { [StartupCategory] = "Information" };

        var servers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ServerProcess.StartAsync(db, environment)));
        try
        {
            foreach (var server in servers)
            {
                using var http = new HttpClient();
                Assert.Equal("{\"status\":\"ok\"}", await http.GetStringAsync($"{server.BaseUrl}/server/health"));
            }

            Assert.Single(servers, s => s.Output.Any(line => line.Contains("Applied migrations", StringComparison.Ordinal)));
            Assert.Equal(SchemaQueries.PostgresScripts, await db.CountAsync(DatabaseMigrator.JournalTable));
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }
}
