using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// Repeated <c>sort</c> and <c>groupBy</c> entries, found by the bad-input suite: a repeated groupBy entry was a 500, and a
/// sort list of some thousand entries overflowed the stack (EF Core visits the OrderBy/ThenBy chain recursively) and
/// killed the server. A repeated key orders nothing further, so the answer is that of the distinct keys.
/// </summary>
public sealed class RepeatedSortAndGroupKeysTests
{
    public static TheoryData<DatabaseClient> Databases => new() { DatabaseClient.Sqlite, DatabaseClient.Postgres };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task GroupBy_repeatedEntry_isOneGroupKey(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        var repeated = await h.ExecuteDirectusJsonAsync("""{ tasks_aggregated(groupBy: ["status", "status", "status"]) { group countAll } }""");
        var once = await h.ExecuteDirectusJsonAsync("""{ tasks_aggregated(groupBy: ["status"]) { group countAll } }""");

        Assert.Equal(once, repeated);
        Assert.Contains("\"group\":{\"status\":\"todo\"}", once);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Sort_tenThousandRepeatedEntries_sortsAsTheDistinctKeys(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        var sort = Enumerable.Range(0, 10_000).Select(i => i % 2 == 0 ? "-status" : "title").ToArray();

        var repeated = await h.ExecuteDirectusJsonAsync(
            "query($s: [String]) { tasks(sort: $s) { title } }", variablesJson: JsonSerializer.Serialize(new { s = sort }));
        var distinct = await h.ExecuteDirectusJsonAsync("""{ tasks(sort: ["-status", "title"]) { title } }""");

        Assert.Equal(distinct, repeated);
        Assert.StartsWith("{\"data\":{\"tasks\":[{\"title\":", distinct);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AggregateSort_tenThousandRepeatedEntries_sortsAsTheDistinctKeys(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        var sort = Enumerable.Range(0, 10_000).Select(i => i % 2 == 0 ? "-count.id" : "status").ToArray();

        var repeated = await h.ExecuteDirectusJsonAsync(
            "query($s: [String]) { tasks_aggregated(groupBy: [\"status\"], sort: $s) { group count { id } } }",
            variablesJson: JsonSerializer.Serialize(new { s = sort }));
        var distinct = await h.ExecuteDirectusJsonAsync("""{ tasks_aggregated(groupBy: ["status"], sort: ["-count.id", "status"]) { group count { id } } }""");

        Assert.Equal(distinct, repeated);
        Assert.StartsWith("{\"data\":{\"tasks_aggregated\":[{\"group\":", distinct);
    }
}
