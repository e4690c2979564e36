using ArtifactGraph.Data;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// Aggregates of a group without a value (every value null, or no rows) are null, as SQL and Directus 12 answer them;
/// counts are 0 (the expected answers are Directus 12.4.1's to the same documents on the same seed). In the seed,
/// artifact version …010 has one file link, whose <c>sort</c> is null.
/// </summary>
public sealed class AggregateNullTests
{
    private const string Numbers = "sum { sort } avg { sort } min { sort } max { sort } sumDistinct { sort } avgDistinct { sort } count { sort } countDistinct { sort }";

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Aggregates_of_a_group_whose_values_are_all_null_are_null(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        var json = await h.ExecuteDirectusJsonAsync($$"""
            { artifact_files_aggregated(groupBy: ["artifact_version_id"], filter: { artifact_version_id: { id: { _eq: "bbbbbbbb-0000-4000-8000-000000000010" } } }) {
                group countAll {{Numbers}} } }
            """);

        Assert.Equal(
            """{"data":{"artifact_files_aggregated":[{"group":{"artifact_version_id":"bbbbbbbb-0000-4000-8000-000000000010"},"countAll":1,"sum":{"sort":null},"avg":{"sort":null},"min":{"sort":null},"max":{"sort":null},"sumDistinct":{"sort":null},"avgDistinct":{"sort":null},"count":{"sort":0},"countDistinct":{"sort":0}}]}}""",
            json);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Aggregates_over_no_rows_are_null_and_counts_zero(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        var json = await h.ExecuteDirectusJsonAsync($$"""{ artifact_files_aggregated(filter: { id: { _eq: -1 } }) { countAll {{Numbers}} } }""");

        Assert.Equal(
            """{"data":{"artifact_files_aggregated":[{"countAll":0,"sum":{"sort":null},"avg":{"sort":null},"min":{"sort":null},"max":{"sort":null},"sumDistinct":{"sort":null},"avgDistinct":{"sort":null},"count":{"sort":0},"countDistinct":{"sort":0}}]}}""",
            json);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Aggregates_skip_null_values_among_others(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        var json = await h.ExecuteDirectusJsonAsync($"{{ artifact_files_aggregated {{ countAll {Numbers} }} }}");

        // 13 of the 14 links have a sort: 1,2,3,1,2,1,1,2,1,2,1,3,2 (sum 22; distinct 1,2,3).
        Assert.Equal(
            """{"data":{"artifact_files_aggregated":[{"countAll":14,"sum":{"sort":22},"avg":{"sort":1.6923076923076923},"min":{"sort":1},"max":{"sort":3},"sumDistinct":{"sort":6},"avgDistinct":{"sort":2},"count":{"sort":13},"countDistinct":{"sort":3}}]}}""",
            json);
    }
}
