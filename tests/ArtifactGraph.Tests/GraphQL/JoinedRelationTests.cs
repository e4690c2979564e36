using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Server.GraphQL;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// Many-to-one fields selected without arguments are read by a LEFT JOIN in their parent rows' statement instead of by
/// their own batch load. Each query below is run twice on the seed data: as written (joined) and with a filter that
/// keeps every row on each many-to-one field (which forces the batch load); the answers must be the same, with fewer
/// statements for the joined form.
/// </summary>
public sealed class JoinedRelationTests
{
    private const string Keep = "(filter: { id: { _nnull: true } })";

    public static TheoryData<DatabaseClient, string, GraphQLScope> Cases()
    {
        string[] items =
        [
            // Root list → many-to-one (null for versions without a primary file) and junction → many-to-one → many-to-one.
            """{ artifact_versions(sort: ["id"], limit: -1) { id primary_file_id@ { id filename_download type } files { sort directus_files_id@ { id filesize uploaded_on_func { year } } } } }""",
            // Several selections of one relation (aliases and a fragment): the join reads every column any of them needs.
            """
            { tasks(sort: ["id"]) { id artifacts { a: artifact_version_id@ { id } b: artifact_version_id@ { schema_key status project_id@ { name } } ...F } } }
            fragment F on task_artifacts { artifact_version_id@ { version content } }
            """,
            // A many-to-one inside a many-to-one that was itself joined, and a relation back to a list.
            """{ artifact_approvals(sort: ["id"]) { id artifact_version_id@ { id project_id@ { id name } files { directus_files_id@ { id } } } } }""",
        ];
        var cases = new TheoryData<DatabaseClient, string, GraphQLScope>();
        foreach (var client in new[] { DatabaseClient.Sqlite, DatabaseClient.Postgres })
        {
            foreach (var query in items)
            {
                cases.Add(client, query, GraphQLScope.Items);
            }

            cases.Add(client, """{ files(sort: ["id"]) { id folder@ { name } uploaded_by@ { id first_name email } } }""", GraphQLScope.System);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Joined_many_to_one_fields_answer_as_batch_loaded_ones_with_fewer_statements(DatabaseClient client, string query, GraphQLScope scope)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        h.Statements.Reset();
        var joined = await h.ExecuteDirectusJsonAsync(query.Replace("@", "", StringComparison.Ordinal), scope);
        var joinedStatements = h.Statements.Count;
        h.Statements.Reset();
        var loaded = await h.ExecuteDirectusJsonAsync(query.Replace("@", Keep, StringComparison.Ordinal), scope);
        var loadedStatements = h.Statements.Count;

        Assert.DoesNotContain("\"errors\"", loaded);
        Assert.Equal(loaded, joined);
        Assert.True(joinedStatements < loadedStatements, $"{joinedStatements} statements joined, {loadedStatements} batch loaded");
        using var answer = JsonDocument.Parse(joined);
        Assert.True(answer.RootElement.GetProperty("data").EnumerateObject().Single().Value.GetArrayLength() > 0);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_relation_with_a_null_key_is_null_and_one_with_a_key_is_its_item(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        var json = await h.ExecuteDirectusJsonAsync("""{ artifact_versions(sort: ["id"], limit: 3) { id primary_file_id { id } } }""");

        Assert.Equal(
            """{"data":{"artifact_versions":[{"id":"bbbbbbbb-0000-4000-8000-000000000001","primary_file_id":null},{"id":"bbbbbbbb-0000-4000-8000-000000000002","primary_file_id":{"id":"cccccccc-0000-4000-8000-000000000002"}},{"id":"bbbbbbbb-0000-4000-8000-000000000003","primary_file_id":null}]}}""",
            json);
    }
}
