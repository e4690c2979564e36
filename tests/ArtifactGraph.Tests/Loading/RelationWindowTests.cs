using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;

namespace ArtifactGraph.Tests.Loading;

/// <summary>
/// A one-to-many field's <c>limit</c>, <c>offset</c> and <c>page</c> apply to each parent's own rows, although one batch
/// load reads the rows of all parents: through the engine and through the direct read path.
/// </summary>
public sealed class RelationWindowTests
{
    private const string Query = """
        { artifact_versions(sort: ["id"]) { id
            all: files(sort: ["sort", "id"]) { id }
            second: files(sort: ["sort", "id"], offset: 1, limit: 1) { id }
            page2: files(sort: ["sort", "id"], page: 2, limit: 2) { id }
            rest: files(sort: ["sort", "id"], offset: 1, limit: -1) { id }
            first: files(sort: ["sort", "id"], limit: 1) { id } } }
        """;

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Each_parent_gets_its_own_window_of_children(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        var engine = await h.ExecuteDirectusJsonAsync(Query);
        var direct = await h.ExecuteDirectJsonAsync(Query);

        foreach (var answer in new[] { engine, direct! })
        {
            using var document = JsonDocument.Parse(answer);
            var versions = document.RootElement.GetProperty("data").GetProperty("artifact_versions").EnumerateArray().ToList();
            Assert.Contains(versions, v => Ids(v, "all").Count >= 3);
            foreach (var version in versions)
            {
                var all = Ids(version, "all");
                Assert.Equal(all.Skip(1).Take(1), Ids(version, "second"));
                Assert.Equal(all.Skip(2).Take(2), Ids(version, "page2"));
                Assert.Equal(all.Skip(1), Ids(version, "rest"));
                Assert.Equal(all.Take(1), Ids(version, "first"));
            }
        }
    }

    private static List<string> Ids(JsonElement version, string field)
        => [.. version.GetProperty(field).EnumerateArray().Select(f => f.GetProperty("id").GetString()!)];
}
