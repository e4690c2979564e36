using ArtifactGraph.Data;
using ArtifactGraph.Server.Cli;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Cli;

public sealed class DemoCommandTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Demo_loadsTheExampleWithARealPromotion_andASecondRunChangesNothing(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client, migrate: false);

        var first = await RunDemoAsync(db);
        var second = await RunDemoAsync(db);

        Assert.Equal((0, ""), (first.ExitCode, first.Error));
        Assert.StartsWith("Loaded the demo project \"Atlas mobile app\": 3 tasks, 4 artifact versions of 3 paths, 5 files;", first.Output);
        Assert.Equal((0, "The demo data is already loaded: nothing changed." + Environment.NewLine), (second.ExitCode, second.Output));
        var counts = new List<long>();
        foreach (var table in new[] { "projects", "tasks", "artifact_versions", "directus_files", "artifact_files", "task_artifacts", "artifact_approvals" })
        {
            counts.Add(await db.CountAsync(table));
        }

        Assert.Equal([1L, 3, 4, 5, 6, 4, 1], counts);
        Assert.Equal(["approved"], await db.QueryAsync($"SELECT status FROM artifact_versions WHERE id = '{DemoRunner.PromotedVersionId}'"));
        Assert.Equal(["1"], await db.QueryAsync("SELECT context_version FROM projects"));
        Assert.Contains("\"statements\"", Assert.Single(await db.QueryAsync("SELECT context FROM projects")));
        Assert.Equal(5, Directory.GetFiles(db.Settings.StorageLocalRoot).Length);
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(SharedPaths.RepositoryRoot, "src", "ArtifactGraph.Server", "Demo", "files", "test-plan.csv")),
            await File.ReadAllTextAsync(Path.Combine(db.Settings.StorageLocalRoot, "de0c0000-0000-4000-8000-000000000005.csv")));
    }

    [Fact]
    public void Handles_demo_isACommand() => Assert.True(CommandLineApp.Handles(["demo"]));

    /// <summary>Runs <c>demo</c> as the command line does, with the database's settings and its storage folder.</summary>
    internal static Task<(int ExitCode, string Output, string Error)> RunDemoAsync(TestDatabase db) => CommandRun.RunAsync(CommandRun.Settings(db), "demo");
}
