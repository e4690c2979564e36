using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// The direct read path (<c>DirectQueryPlanner</c> and <c>DirectQueryExecutor</c>) must answer every query it takes
/// byte for byte as GraphQL.NET's engine does, with no more SQL statements; and it must leave to the engine every
/// query whose answer it would not give the same way.
/// </summary>
public sealed class DirectQueryTests
{
    /// <summary>Read queries the direct path takes: every kind of field, argument, alias, fragment and merge it plans.</summary>
    internal static readonly (string Query, GraphQLScope Scope, string? Variables)[] Taken =
    [
        // The two queries of perf-directus.md.
        ("{ artifact_versions(limit: 100) { id status files { sort directus_files_id { id filename_download } } primary_file_id { id } } }", GraphQLScope.Items, null),
        ("{ tasks { id title status artifacts { sort artifact_version_id { id schema_key version status } } } }", GraphQLScope.Items, null),
        // Every scalar kind: ids, strings, ints, JSON, dates, and __typename.
        ("{ projects(sort: [\"id\"]) { __typename id name context context_version date_created date_updated } }", GraphQLScope.Items, null),
        ("{ artifact_versions(sort: [\"-version\", \"id\"], filter: { status: { _eq: \"approved\" } }) { id schema_key version status content date_created project_id { id name context } } }", GraphQLScope.Items, null),
        // Aliases, a fragment, root __typename, paging and sorting on two roots.
        ("""
         { a: tasks(limit: 2, sort: ["id"]) { ...T x: id } b: tasks(offset: 1, sort: ["-id"]) { id } __typename }
         fragment T on tasks { id title artifacts(limit: 1) { id } }
         """, GraphQLScope.Items, null),
        // Arguments on nested relations (a many-to-one with arguments is batch loaded, not joined).
        ("{ artifact_versions(sort: [\"id\"]) { id files(sort: [\"-sort\"], limit: 1) { sort } project_id(filter: { name: { _nnull: true } }) { name } } }", GraphQLScope.Items, null),
        ("{ artifact_versions(search: \"a\", limit: 3, page: 2, sort: [\"id\"]) { id schema_key } }", GraphQLScope.Items, null),
        // Variables, coerced as the engine coerces them.
        ("query Q($limit: Int, $f: artifact_versions_filter) { artifact_versions(limit: $limit, filter: $f, sort: [\"id\"]) { id status } }", GraphQLScope.Items,
            """{ "limit": 2, "f": { "status": { "_neq": "draft" } } }"""),
        // Relational filters.
        ("{ artifact_versions(filter: { project_id: { name: { _contains: \"a\" } } }, sort: [\"id\"]) { id } }", GraphQLScope.Items, null),
        ("{ tasks(filter: { artifacts: { _some: { artifact_version_id: { status: { _eq: \"approved\" } } } } }, sort: [\"id\"]) { id } }", GraphQLScope.Items, null),
        // Deep: a joined many-to-one whose own many-to-one and list are loaded; system fields of files.
        ("{ artifact_approvals(sort: [\"id\"]) { id approved_at context_version artifact_version_id { id project_id { id name } files { directus_files_id { id filesize tags metadata width } } } project_id { id } } }", GraphQLScope.Items, null),
        // One relation selected twice, merged (GraphQL merges the selections of one response key).
        ("""
         { tasks(sort: ["id"]) { artifacts { sort } ...F } }
         fragment F on tasks { artifacts { artifact_version_id { id } } id }
         """, GraphQLScope.Items, null),
        ("{ tasks(sort: [\"id\"]) { ... on tasks { id } ... { title } } }", GraphQLScope.Items, null),
        // One relation under two aliases with different arguments.
        ("{ artifact_versions(sort: [\"id\"]) { f1: files(limit: 1) { sort } f2: files(sort: [\"-sort\"]) { sort directus_files_id { id } } } }", GraphQLScope.Items, null),
        // Nothing found, at the root and below.
        ("{ tasks(filter: { id: { _null: true } }) { id artifacts { id } } }", GraphQLScope.Items, null),
        ("{ artifact_versions(sort: [\"id\"]) { id files(filter: { sort: { _gt: 1000 } }) { sort } } }", GraphQLScope.Items, null),
        // Integer junction ids (ID scalar: text), nullable numbers and texts, written by the typed scalar writers.
        ("{ tasks(sort: [\"id\"]) { id title status artifacts(sort: [\"id\"]) { id sort task_id { id } } } artifact_versions(sort: [\"id\"]) { files(sort: [\"id\"]) { id sort } } }", GraphQLScope.Items, null),
        // System relations of files, from the items endpoint and from /graphql/system.
        ("{ artifact_versions(sort: [\"id\"]) { primary_file_id { id folder { name } uploaded_by { email } } } }", GraphQLScope.Items, null),
        ("{ files(sort: [\"id\"]) { id storage filename_disk filename_download title type filesize width height created_on uploaded_on tags metadata folder { id name parent { id } } uploaded_by { id first_name last_name email status token password } modified_by { id } } }", GraphQLScope.System, null),
    ];

    /// <summary>Queries left to the engine: the planner refuses them, or the executor hands them back.</summary>
    private static readonly (string Query, GraphQLScope Scope)[] Left =
    [
        ("{ artifact_versions_aggregated { count { id } } }", GraphQLScope.Items),
        ("{ projects { id date_created_func { year } } }", GraphQLScope.Items),
        ("{ artifact_versions { id files_func { count } } }", GraphQLScope.Items),
        ("{ tasks { id @include(if: true) } }", GraphQLScope.Items),
        ("{ tasks_by_id(id: \"00000000-0000-4000-8000-000000000000\") { id } }", GraphQLScope.Items),
        ("{ tasks_by_id(id: \"not-a-key\") { id } }", GraphQLScope.Items),
        ("{ users_me { id } }", GraphQLScope.System),
        ("{ server_ping }", GraphQLScope.System),
    ];

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Direct_answers_are_the_engine_answers_byte_for_byte(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        foreach (var (query, scope, variables) in Taken.Concat(await ByIdQueriesAsync(h)))
        {
            var engine = await h.ExecuteDirectusJsonAsync(query, scope, variables);
            var direct = await h.ExecuteDirectJsonAsync(query, scope, variables);

            Assert.DoesNotContain("\"errors\"", engine);
            Assert.True(direct is not null, $"the direct path left this query to the engine: {query}");
            Assert.True(engine == direct, $"{query}\nengine: {engine}\ndirect: {direct}");
        }
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Json_columns_are_written_directly_as_the_engine_writes_them(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        string[] contexts =
        [
            "{ \"a\" : [1, 2.50, -0.0, 1e3, true, null], \"b\": { \"c\": \"\\u00e9t\\u00e9 \\\"q\\\" \\n <tag> & \\ud83d\\ude00\" } }",
            "[]", "\"just a string\"", "42", "null",
            .. client == DatabaseClient.Sqlite ? ["not JSON at all", "{ broken"] : Array.Empty<string>(),
        ];
        foreach (var context in contexts)
        {
            await h.Database.ExecuteAsync($"UPDATE projects SET context = '{context.Replace("'", "''")}'");
            await h.Database.ExecuteAsync("UPDATE projects SET context = NULL WHERE id = (SELECT id FROM projects ORDER BY id LIMIT 1)");
            const string query = "{ projects(sort: [\"id\"]) { id context } }";
            var engine = await h.ExecuteDirectusJsonAsync(query);
            var direct = await h.ExecuteDirectJsonAsync(query);
            Assert.DoesNotContain("\"errors\"", engine);
            Assert.True(engine == direct, $"{context}\nengine: {engine}\ndirect: {direct}");
            Assert.Contains("\"context\":null", direct, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Queries_the_direct_path_would_answer_differently_are_left_to_the_engine(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        foreach (var (query, scope) in Left)
        {
            Assert.True(await h.ExecuteDirectJsonAsync(query, scope) is null, query);
        }

        // Deeper than MAX_RELATIONAL_DEPTH (10): the engine's resolver gives the error.
        var deep = "{ artifact_versions { " + string.Concat(Enumerable.Repeat("project_id { id } files { artifact_version_id { ", 6)) + "id" + new string('}', 12) + " } }";
        Assert.Contains("Max relational depth exceeded", await h.ExecuteDirectusJsonAsync(deep));
        Assert.Null(await h.ExecuteDirectJsonAsync(deep));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Direct_answers_take_no_more_statements_than_the_engine(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        foreach (var (query, scope, variables) in Taken)
        {
            h.Statements.Reset();
            await h.ExecuteDirectusJsonAsync(query, scope, variables);
            var engine = h.Statements.Count;
            h.Statements.Reset();
            await h.ExecuteDirectJsonAsync(query, scope, variables);
            var direct = h.Statements.Count;

            Assert.True(direct <= engine, $"{direct} statements direct, {engine} through the engine: {query}");
        }

        // The perf-directus.md queries: a statement for the rows (their many-to-one fields joined) and one for the junction.
        h.Statements.Reset();
        await h.ExecuteDirectJsonAsync(Taken[0].Query);
        Assert.Equal(2, h.Statements.Count);
        h.Statements.Reset();
        await h.ExecuteDirectJsonAsync(Taken[1].Query);
        Assert.Equal(2, h.Statements.Count);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_role_gets_the_same_rows_directly_as_through_the_engine(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        await h.Database.ImportAsync(SharedPaths.Fixture("editor-role.json"));
        var editor = await h.SignInAsync("editor-token") ?? throw new InvalidOperationException("no editor");

        // The editor reads Apollo's rows only: a task of another project shows its project as null, as a missing row.
        const string query = "{ projects { name } tasks(sort: [\"id\"]) { id title project_id { name } } artifact_versions(sort: [\"id\"]) { id project_id { name } } }";
        var engine = await h.ExecuteDirectusJsonAsync(query, who: editor);
        var direct = await h.ExecuteDirectJsonAsync(query, who: editor);
        Assert.Contains("\"project_id\":null", engine);
        Assert.Equal(engine, direct);

        // Outside the item filter, _by_id is FORBIDDEN: the engine gives that error.
        Assert.Null(await h.ExecuteDirectJsonAsync("{ projects_by_id(id: \"22222222-2222-4222-8222-222222222222\") { id } }", who: editor));
    }

    /// <summary><c>_by_id</c> of an item that exists, with its relations, by literal and by variable.</summary>
    private static async Task<IEnumerable<(string, GraphQLScope, string?)>> ByIdQueriesAsync(EngineHarness h)
    {
        using var ids = JsonDocument.Parse(await h.ExecuteDirectusJsonAsync("{ artifact_versions(sort: [\"id\"], limit: 1) { id } tasks(sort: [\"id\"], limit: 1) { id } }"));
        var version = ids.RootElement.GetProperty("data").GetProperty("artifact_versions")[0].GetProperty("id").GetString();
        var task = ids.RootElement.GetProperty("data").GetProperty("tasks")[0].GetProperty("id").GetString();
        return
        [
            ($"{{ artifact_versions_by_id(id: \"{version}\") {{ id schema_key project_id {{ name }} files {{ sort directus_files_id {{ id }} }} }} }}", GraphQLScope.Items, null),
            ("query($id: ID!) { tasks_by_id(id: $id) { id title artifacts { artifact_version_id { id } } } }", GraphQLScope.Items, $"{{\"id\": \"{task}\"}}"),
        ];
    }
}
