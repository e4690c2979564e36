using System.Text.RegularExpressions;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Rest;

/// <summary>
/// Replays Directus 12.4.1's recorded REST cases (reads with every query parameter, errors, and the mutation block that
/// creates, updates and deletes its own rows, 101–119) with their own runner against the real server process on each
/// database. The last case counts the junction rows again: the data is left as it was found.
/// </summary>
public sealed partial class RestCorpusTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Recorded_REST_cases_all_pass(DatabaseClient client)
    {
        await using var database = await TestDatabase.CreateAsync(client);
        await database.ImportSeedAsync();
        var recorded = Path.Combine(SharedPaths.DirectusReference, "rest-cases");
        await using var server = await ServerProcess.StartAsync(database);
        var (exitCode, output) = await ReferenceCorpusTests.RunAsync("node", [
            Path.Combine(SharedPaths.DirectusReference, "run-corpus.js"), "--base", server.BaseUrl, "--token", "oracle-admin-token", "--dir", recorded,
        ]);
        var summary = SummaryLine().Match(output);
        Assert.True(summary.Success, output);
        Assert.True(exitCode == 0 && summary.Groups[2].Value == "0", output);
        Assert.Equal(Directory.GetFiles(recorded, "*.json").Length, int.Parse(summary.Groups[1].Value));

        // Twice: the mutation block put everything back, so the same cases pass again on the same data.
        var (again, againOutput) = await ReferenceCorpusTests.RunAsync("node", [
            Path.Combine(SharedPaths.DirectusReference, "run-corpus.js"), "--base", server.BaseUrl, "--token", "oracle-admin-token", "--dir", recorded,
        ]);
        Assert.True(again == 0, againOutput);
    }

    [GeneratedRegex(@"^(\d+) passed, (\d+) failed$", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();
}
