using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// Bad filter values of each type (integer, big integer, boolean, datetime, uuid), literals and variables, answered as
/// Directus 12.4.1 answers them: its recorded answers in Fixtures/directus-filter-value-errors.json, sent over HTTP to the
/// real server on the reference seed. A case marked <c>divergence</c> expects ArtifactGraph's own answer instead.
/// </summary>
public sealed class FilterValueErrorTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Bad_filter_values_are_answered_as_Directus_answers_them(DatabaseClient client)
    {
        await using var database = await TestDatabase.CreateAsync(client);
        await database.ImportSeedAsync();
        await using var server = await ServerProcess.StartAsync(database);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "oracle-admin-token");

        var fixture = JsonNode.Parse(await File.ReadAllTextAsync(SharedPaths.Fixture("directus-filter-value-errors.json")))!;
        var mismatches = new List<string>();
        foreach (var @case in fixture["cases"]!.AsArray())
        {
            var request = new JsonObject { ["query"] = @case!["query"]!.GetValue<string>() };
            if (@case["variables"] is { } variables)
            {
                request["variables"] = variables.DeepClone();
            }

            using var response = await http.PostAsJsonAsync(@case["path"]!.GetValue<string>(), request);
            var actual = new JsonObject { ["status"] = (int)response.StatusCode, ["body"] = JsonNode.Parse(await response.Content.ReadAsStringAsync()) };
            var expected = @case["artifactgraph"] ?? @case["directus"];
            if (!JsonNode.DeepEquals(expected, actual))
            {
                mismatches.Add($"{@case["name"]}: expected {expected!.ToJsonString()}, got {actual.ToJsonString()}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }
}
