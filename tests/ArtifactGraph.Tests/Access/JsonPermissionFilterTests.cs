using ArtifactGraph.Data;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Tests.GraphQL;

namespace ArtifactGraph.Tests.Access;

/// <summary>
/// <c>_json</c> in an item permission (Directus's filter syntax, stored as JSON): it narrows the rows as in a query's
/// filter; on a field that is not JSON, which the schema cannot express but a permission can, it is INVALID_QUERY.
/// </summary>
public sealed class JsonPermissionFilterTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_json_item_filter_narrows_the_rows_a_role_reads(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        var json = await h.ExecuteDirectusJsonAsync("""{ artifact_versions(sort: ["id"]) { id } }""", who: Reader("artifact_versions", "content", "score", 7));

        Assert.Equal(
            """{"data":{"artifact_versions":[{"id":"bbbbbbbb-0000-4000-8000-000000000002"},{"id":"bbbbbbbb-0000-4000-8000-000000000008"},{"id":"bbbbbbbb-0000-4000-8000-000000000009"}]}}""",
            json);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_json_item_filter_on_a_field_that_is_not_json_is_invalid_query(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        var json = await h.ExecuteDirectusJsonAsync("{ tasks { id } }", who: Reader("tasks", "title", "a", 1));

        Assert.Contains("""Invalid query. \"title\" is not a JSON field.""", json);
        Assert.Contains("INVALID_QUERY", json);
    }

    /// <summary>A caller who reads every field of <paramref name="collection"/> where <c>field._json.path._gte</c> is <paramref name="value"/>.</summary>
    private static Accountability Reader(string collection, string field, string path, object value) => new(Guid.NewGuid(), null, false)
    {
        Access = new AccessRules(false, new Dictionary<(string, string), CollectionPermission>
        {
            [(collection, "read")] = CollectionPermission.All with
            {
                ItemFilter = new Dictionary<string, object?>
                {
                    [field] = new Dictionary<string, object?> { ["_json"] = new Dictionary<string, object?> { [path] = new Dictionary<string, object?> { ["_gte"] = value } } },
                },
            },
        }),
    };
}
