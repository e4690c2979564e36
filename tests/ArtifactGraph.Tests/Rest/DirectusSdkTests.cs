using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Rest;

/// <summary>
/// A real client: <c>tests/directus-sdk/workflow.mjs</c> drives the seed's workflow with <c>@directus/sdk</c> 26
/// (<c>rest()</c> and <c>staticToken()</c>, <c>graphql()</c> for the promotion) against the server process, on each database.
/// </summary>
public sealed class DirectusSdkTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task The_seed_workflow_runs_unchanged_with_the_Directus_SDK(DatabaseClient client)
    {
        await using var database = await TestDatabase.CreateAsync(client);
        await database.ImportSeedAsync();
        await using var server = await ServerProcess.StartAsync(database);
        var script = Path.Combine(SharedPaths.RepositoryRoot, "tests", "directus-sdk", "workflow.mjs");
        var (exitCode, output) = await ReferenceCorpusTests.RunAsync("node", [script, "--base", server.BaseUrl, "--token", ServerFixture.AdminToken]);
        Assert.True(exitCode == 0, output);
        Assert.Contains("SDK workflow passed", output);

        // What the workflow left: the promoted version, approved, in the project's context, and no junction rows of its own.
        Assert.Equal(["approved"], await database.QueryAsync("SELECT status FROM artifact_versions WHERE schema_key = 'spec/sdk'"));
        Assert.Equal(["1"], await database.QueryAsync("SELECT context_version FROM projects WHERE name = 'SDK project'"));
    }
}
