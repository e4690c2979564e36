using ArtifactGraph.Data;
using ArtifactGraph.Server.Cli;
using ArtifactGraph.Tests.Infrastructure;
using static ArtifactGraph.Tests.Cli.CommandRun;

namespace ArtifactGraph.Tests.Cli;

public sealed class MigrateLegacyArraysCommandTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task MigrateLegacyArrays_dropColumns_printsTheSummaryThenNothingToDo(DatabaseClient client)
    {
        await using var db = await LegacyArraysFixture.CreateAsync(client);

        var first = await RunAsync(Settings(db), "migrate-legacy-arrays", "--drop-columns");
        var second = await RunAsync(Settings(db), "migrate-legacy-arrays");

        Assert.Equal((0, ""), (first.ExitCode, first.Error));
        Assert.Equal(
            """
            artifact_versions.file_ids: 5 rows scanned, 5 links created, 0 already present, 2 primary files set, 4 skipped
              skipped "f0000000-0000-4000-8000-000000000009" in row b0000000-0000-4000-8000-000000000002: no such directus_files row
              skipped "not-a-uuid" in row b0000000-0000-4000-8000-000000000002: not a uuid
              skipped 42 in row b0000000-0000-4000-8000-000000000002: not a uuid
              skipped {"ids": ["f0000000-0000-4000-8000-000000000001"]} in row b0000000-0000-4000-8000-000000000005: not a JSON array
            tasks.artifact_version_ids: 2 rows scanned, 3 links created, 1 already present, 1 skipped
              skipped "b0000000-0000-4000-8000-000000000009" in row a0000000-0000-4000-8000-000000000002: no such artifact_versions row
            Dropped artifact_versions.file_ids, tasks.artifact_version_ids.

            """.ReplaceLineEndings(),
            first.Output);
        Assert.Equal(
            (0, "No legacy array columns (artifact_versions.file_ids, tasks.artifact_version_ids): nothing to do." + Environment.NewLine),
            (second.ExitCode, second.Output));
    }

    [Fact]
    public async Task MigrateLegacyArrays_databaseRefuses_exitsOneAndKeepsNothing()
    {
        await using var db = await LegacyArraysFixture.CreateAsync(DatabaseClient.Sqlite);
        await LegacyArraysFixture.FailInsertsIntoTaskArtifactsAsync(db);

        var run = await RunAsync(Settings(db), "migrate-legacy-arrays");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("migrate-legacy-arrays failed: The database refused the migration, nothing was changed: ", run.Error);
        Assert.Contains("injected failure", run.Error);
        Assert.Equal(0, await db.CountAsync("artifact_files"));
    }

    [Fact]
    public async Task MigrateLegacyArrays_badSetting_exitsOneNamingIt()
    {
        var run = await RunAsync([("DB_CLIENT", "oracle")], "migrate-legacy-arrays");

        Assert.Equal((1, "migrate-legacy-arrays failed: DB_CLIENT: 'oracle' is not supported; use sqlite3 or pg." + Environment.NewLine), (run.ExitCode, run.Error));
    }

    [Theory]
    [InlineData(new[] { "migrate-legacy-arrays", "--drop-columns" }, true)]
    [InlineData(new[] { "import", "seed.json" }, true)]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--urls", "http://localhost:5000" }, false)]
    public void Handles_commandName_decidesWhetherTheServerStarts(string[] args, bool handled)
        => Assert.Equal(handled, CommandLineApp.Handles(args));
}
