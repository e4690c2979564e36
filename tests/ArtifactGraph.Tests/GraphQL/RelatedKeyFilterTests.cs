using ArtifactGraph.Data;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// A filter on a many-to-one field that names only the related item's primary key (<c>{ project_id: { id: { _eq: … } } }</c>,
/// as a project UI writes it) is answered from the foreign key, without joining the related table; it must answer
/// exactly as the same condition read through the join, and keep the join where the caller may read only some related rows.
/// </summary>
public sealed class RelatedKeyFilterTests
{
    private const string Apollo = "11111111-1111-4111-8111-111111111111";
    private const string Borealis = "22222222-2222-4222-8222-222222222222";

    /// <summary>The operators that the foreign key answers for the related key.</summary>
    public static TheoryData<DatabaseClient, string> Operators()
    {
        string[] operators =
        [
            $"_eq: \"{Borealis}\"",
            $"_in: [\"{Borealis}\", \"{Apollo}\"]",
            $"_neq: \"{Apollo}\"",
            $"_nin: [\"{Apollo}\"]",
            "_null: true",
            "_nnull: true",
            "_eq: null",
            "_eq: \"not-a-uuid\"",
        ];
        var cases = new TheoryData<DatabaseClient, string>();
        foreach (var client in new[] { DatabaseClient.Sqlite, DatabaseClient.Postgres })
        {
            foreach (var op in operators)
            {
                cases.Add(client, op);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Operators))]
    public async Task A_filter_on_the_related_key_answers_as_through_the_join_without_reading_the_related_table(DatabaseClient client, string op)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        const string Query = """
            { tasks(filter: { project_id: F }, sort: ["id"]) { id title }
              artifact_versions(filter: { project_id: F }, sort: ["id"]) { id }
              artifact_versions_aggregated(filter: { project_id: F }, groupBy: ["status"]) { group count { id } }
              task_artifacts(filter: { artifact_version_id: { project_id: F } }, sort: ["id"]) { id } }
            """;

        // The same condition inside _and is not on the key alone: it is read through the join, as before.
        h.Statements.KeepText = true;
        h.Statements.Reset();
        var joined = await h.ExecuteDirectusJsonAsync(Query.Replace("F", $"{{ _and: [{{ id: {{ {op} }} }}] }}", StringComparison.Ordinal));
        var joinedTexts = h.Statements.Texts;
        h.Statements.Reset();
        var onKey = await h.ExecuteDirectusJsonAsync(Query.Replace("F", $"{{ id: {{ {op} }} }}", StringComparison.Ordinal));

        Assert.False(joined.Contains("\"errors\"", StringComparison.Ordinal), joined);
        Assert.Equal(joined, onKey);
        // (A value that no key can hold matches nothing, and nothing needs reading for it, joined or not.)
        Assert.Equal(op.Contains("not-a-uuid", StringComparison.Ordinal) ? 0 : 4, joinedTexts.Count(t => t.Contains("projects", StringComparison.Ordinal)));
        Assert.Equal(4, h.Statements.Texts.Count);
        Assert.DoesNotContain(h.Statements.Texts, t => t.Contains("projects", StringComparison.Ordinal));
    }

    /// <summary>
    /// Through a join, a required foreign key (a revision's <c>activity</c>) is NULL where there is no row to join (a
    /// revision without a parent): <c>parent.activity.id _null</c> must find those revisions as the join does.
    /// </summary>
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_required_foreign_key_reached_through_a_join_is_null_where_nothing_is_joined(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        // A task with a new project: the project's revision has the task's as parent, the task's has none.
        Assert.DoesNotContain("\"errors\"", await h.ExecuteDirectusJsonAsync(
            """mutation { create_tasks_item(data: { title: "Survey", project_id: { name: "Cassini", context_version: 0 } }) { id } }"""));
        const string Query = """{ revisions(filter: { parent: { activity: F } }, sort: ["id"]) { id collection } }""";

        foreach (var op in new[] { "_null: true", "_nnull: true" })
        {
            var joined = await h.ExecuteDirectusJsonAsync(Query.Replace("F", $"{{ _and: [{{ id: {{ {op} }} }}] }}", StringComparison.Ordinal), GraphQLScope.System);
            var onKey = await h.ExecuteDirectusJsonAsync(Query.Replace("F", $"{{ id: {{ {op} }} }}", StringComparison.Ordinal), GraphQLScope.System);

            Assert.Contains("\"collection\"", joined);
            Assert.Equal(joined, onKey);
        }
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_caller_who_may_read_only_some_related_items_cannot_match_the_others_by_their_key(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        await h.Database.ImportAsync(SharedPaths.Fixture("editor-role.json"));
        var editor = await h.SignInAsync("editor-token") ?? throw new InvalidOperationException("no editor");
        var query = $$"""{ tasks(filter: { project_id: { id: { _eq: "{{Borealis}}" } } }, sort: ["id"]) { id } }""";

        // The editor reads every task but only Apollo among the projects: Borealis's tasks are not found through it.
        Assert.Equal("""{"data":{"tasks":[]}}""", await h.ExecuteDirectusJsonAsync(query, who: editor));
        Assert.Contains("\"id\"", await h.ExecuteDirectusJsonAsync(query));
        Assert.Equal(
            """{"data":{"tasks":[]}}""",
            await h.ExecuteDirectusJsonAsync($$"""{ tasks(filter: { project_id: { id: { _in: ["{{Borealis}}"] } } }) { id } }""", who: editor));
    }
}
