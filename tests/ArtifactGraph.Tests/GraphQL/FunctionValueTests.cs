using ArtifactGraph.Data;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// <c>week()</c> and JSON <c>count()</c> where the reference seed cannot show them (its JSON values are objects, which
/// Directus cannot count, and its dates are far from the turn of a year): ISO weeks across years, and array lengths, in
/// filters, sorts and groups, on both databases.
/// </summary>
public sealed class FunctionValueTests
{
    private const string Apollo = "11111111-1111-4111-8111-111111111111";
    private const string Borealis = "22222222-2222-4222-8222-222222222222";

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Week_is_the_ISO_week_across_the_turn_of_a_year(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        // Friday 1 January 2021 is in week 53 of 2020; Monday 30 December 2024 is in week 1 of 2025; approval 3 keeps
        // Wednesday 10 April 2024 (week 15).
        var updated = await h.ExecuteDirectusJsonAsync("""mutation { a: update_artifact_approvals_item(id: 1, data: { approved_at: "2021-01-01T23:30:00Z" }) { id } b: update_artifact_approvals_item(id: 2, data: { approved_at: "2024-12-30T00:10:00Z" }) { id } }""");
        Assert.Equal("""{"data":{"a":{"id":"1"},"b":{"id":"2"}}}""", updated);

        Assert.Equal(
            """{"data":{"artifact_approvals":[{"id":"1","approved_at_func":{"week":53}}]}}""",
            await h.ExecuteDirectusJsonAsync("""{ artifact_approvals(filter: { approved_at_func: { week: { _eq: 53 } } }) { id approved_at_func { week } } }"""));
        Assert.Equal(
            """{"data":{"artifact_approvals":[{"id":"2"},{"id":"3"},{"id":"1"}]}}""",
            await h.ExecuteDirectusJsonAsync("""{ artifact_approvals(sort: ["week(approved_at)"]) { id } }"""));
        Assert.Equal(
            """{"data":{"artifact_approvals_aggregated":[{"group":{"approved_at_week":"53"},"countAll":1},{"group":{"approved_at_week":"15"},"countAll":1},{"group":{"approved_at_week":"1"},"countAll":1}]}}""",
            await h.ExecuteDirectusJsonAsync("""{ artifact_approvals_aggregated(groupBy: ["week(approved_at)"], sort: ["-week(approved_at)"]) { group countAll } }"""));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Json_count_is_the_length_of_an_array_and_null_for_other_values(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        // Apollo's context becomes a list of three, Borealis's a list of one; the seed's artifact versions hold objects.
        await h.ExecuteDirectusJsonAsync($$"""mutation { a: update_projects_item(id: "{{Apollo}}", data: { context: ["a", "b", { c: 1 }] }) { id } b: update_projects_item(id: "{{Borealis}}", data: { context: [0] }) { id } }""");

        Assert.Equal(
            """{"data":{"projects":[{"name":"Apollo"}]}}""",
            await h.ExecuteDirectusJsonAsync("""{ projects(filter: { context_func: { count: { _gt: 1 } } }) { name } }"""));
        Assert.Equal(
            """{"data":{"projects":[{"name":"Borealis"},{"name":"Apollo"}]}}""",
            await h.ExecuteDirectusJsonAsync("""{ projects(sort: ["count(context)"]) { name } }"""));
        Assert.Equal(
            """{"data":{"projects_aggregated":[{"group":{"context_count":"1"},"countAll":1},{"group":{"context_count":"3"},"countAll":1}]}}""",
            await h.ExecuteDirectusJsonAsync("""{ projects_aggregated(groupBy: ["count(context)"]) { group countAll } }"""));
        Assert.Equal(
            """{"data":{"artifact_versions_aggregated":[{"countAll":12}]}}""",
            await h.ExecuteDirectusJsonAsync("""{ artifact_versions_aggregated(filter: { content_func: { count: { _null: true } } }) { countAll } }"""));
    }
}
