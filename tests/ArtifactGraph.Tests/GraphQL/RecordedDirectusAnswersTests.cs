using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// Requests asked of Directus 12.4.1 (PostgreSQL, the reference seed, an administrator's token) with its answers, replayed
/// over HTTP against the real server on the same seed on each database:
/// <list type="bullet">
/// <item><c>directus-filter-value-errors.json</c>: bad filter values of each type (integer, big integer, boolean,
/// datetime, uuid), literals and variables;</item>
/// <item><c>directus-json-filters.json</c>: the <c>_json</c> filter on <c>artifact_versions.content</c> (numbers, texts,
/// array elements, lists, and/or, null, refused paths and values);</item>
/// <item><c>directus-functions-and-sorts.json</c>: <c>week()</c> and JSON <c>count()</c> in filters, sorts and groups,
/// sorts through a one-to-many field, <c>groupBy</c> with five to seven fields.</item>
/// </list>
/// Each fixture is <c>{ cases: [{ name, path, query, variables?, directus: { status, body }, artifactgraph?, divergence? }] }</c>;
/// a case with <c>artifactgraph</c> expects that answer instead (a documented divergence). Key order inside objects is not
/// compared.
/// </summary>
public sealed class RecordedDirectusAnswersTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite, "directus-filter-value-errors.json")]
    [InlineData(DatabaseClient.Postgres, "directus-filter-value-errors.json")]
    [InlineData(DatabaseClient.Sqlite, "directus-json-filters.json")]
    [InlineData(DatabaseClient.Postgres, "directus-json-filters.json")]
    [InlineData(DatabaseClient.Sqlite, "directus-functions-and-sorts.json")]
    [InlineData(DatabaseClient.Postgres, "directus-functions-and-sorts.json")]
    public async Task Requests_are_answered_as_Directus_answered_them(DatabaseClient client, string fixture)
    {
        var mismatches = await ReplayAsync(client, fixture);

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    /// <returns>One line per case whose answer differs.</returns>
    private static async Task<List<string>> ReplayAsync(DatabaseClient client, string fixture)
    {
        await using var database = await TestDatabase.CreateAsync(client);
        await database.ImportSeedAsync();
        await using var server = await ServerProcess.StartAsync(database);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "oracle-admin-token");

        var mismatches = new List<string>();
        foreach (var @case in JsonNode.Parse(await File.ReadAllTextAsync(SharedPaths.Fixture(fixture)))!["cases"]!.AsArray())
        {
            var request = new JsonObject { ["query"] = @case!["query"]!.GetValue<string>() };
            if (@case["variables"] is { } variables)
            {
                request["variables"] = variables.DeepClone();
            }

            using var response = await http.PostAsJsonAsync(@case["path"]!.GetValue<string>(), request);
            var actual = new JsonObject { ["status"] = (int)response.StatusCode, ["body"] = JsonNode.Parse(await response.Content.ReadAsStringAsync()) };
            var expected = @case["artifactgraph"] ?? WithoutInternalErrors(@case["directus"]!);
            if (!JsonNode.DeepEquals(expected, actual))
            {
                mismatches.Add($"{@case["name"]}: expected {expected!.ToJsonString()}, got {actual.ToJsonString()}");
            }
        }

        return mismatches;
    }

    /// <summary>
    /// Directus codes a variable that fails coercion (graphql-js's <c>Variable "$v" got invalid value …</c>) as
    /// INTERNAL_SERVER_ERROR; here it is GRAPHQL_VALIDATION on purpose, as no request a client can send is an internal error
    /// (README, "Differences from Directus"; the same rule as <see cref="ReferenceDivergences"/>). Everything else is compared.
    /// </summary>
    private static JsonNode WithoutInternalErrors(JsonNode directus)
    {
        var expected = directus.DeepClone();
        foreach (var error in expected["body"]?["errors"]?.AsArray() ?? [])
        {
            if (error?["message"]?.GetValue<string>().StartsWith("Variable \"$", StringComparison.Ordinal) == true
                && error["extensions"]?["code"]?.GetValue<string>() == "INTERNAL_SERVER_ERROR")
            {
                error["extensions"]!["code"] = "GRAPHQL_VALIDATION";
            }
        }

        return expected;
    }
}
