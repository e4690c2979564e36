using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// graphql-js (the npm package <c>graphql</c>, Directus's own version, from <c>tests/graphql-js</c>) sends its standard
/// introspection query with every option set to the real server, builds a client schema from the answer and validates
/// it, as clients and code generators do: <c>tests/graphql-js/introspect.js</c>.
/// </summary>
public sealed class GraphQLJsIntrospectionTests
{
    private const string Token = "graphql-js-admin-token";

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Standard_introspection_builds_and_validates_in_graphql_js(DatabaseClient client)
    {
        await using var database = await TestDatabase.CreateAsync(client);
        await using var server = await ServerProcess.StartAsync(database, new Dictionary<string, string> { ["ADMIN_TOKEN"] = Token });
        var folder = Path.Combine(SharedPaths.RepositoryRoot, "tests", "graphql-js");
        Assert.True(
            File.Exists(Path.Combine(folder, "node_modules", "graphql", "package.json")),
            "graphql-js is not installed: tests/run-tests.sh installs it (npm ci in tests/graphql-js)");

        foreach (var (path, token) in new[] { ("/graphql", Token), ("/graphql/system", Token), ("/graphql", null) })
        {
            string[] args = token is null
                ? [Path.Combine(folder, "introspect.js"), "--url", server.BaseUrl + path]
                : [Path.Combine(folder, "introspect.js"), "--url", server.BaseUrl + path, "--token", token];
            var (exitCode, output) = await ReferenceCorpusTests.RunAsync("node", args);
            Assert.True(exitCode == 0, $"{path} ({(token is null ? "public" : "administrator")}): {output}");
            Assert.StartsWith("ok: ", output, StringComparison.Ordinal);
        }
    }
}
