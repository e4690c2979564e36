using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Access;

/// <summary>
/// Roles and permissions (Directus 11's policies) on the seed data, with the "Apollo editors" policy of
/// Fixtures/editor-role.json: all tasks readable, projects and artifact versions of Apollo only, projects without
/// their context, task updates limited to title and status of Apollo's tasks, no direct approval but promote.
/// </summary>
public sealed class AccessControlTests
{
    private const string Apollo = "11111111-1111-4111-8111-111111111111";
    private const string BorealisTask = "aaaaaaaa-0000-4000-8000-000000000004";

    public static TheoryData<DatabaseClient> Databases => new() { DatabaseClient.Sqlite, DatabaseClient.Postgres };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Collections_and_fields_without_permission_do_not_exist_in_the_schema(DatabaseClient client)
    {
        await using var h = await WithEditorAsync(client);
        var editor = await EditorAsync(h);

        await InvalidAsync(h, "{ projects { context } }", editor, "context");
        await InvalidAsync(h, "{ artifact_versions { files { id } } }", editor, "files");
        await InvalidAsync(h, "{ directus_files { id } }", editor, "directus_files");
        await InvalidAsync(h, $$"""mutation { delete_tasks_item(id: "{{BorealisTask}}") { id } }""", editor, "delete_tasks_item");
        await InvalidAsync(h, """{ projects(filter: { context: { _null: true } }) { id } }""", editor, "context");
        await InvalidAsync(h, "{ projects_aggregated { count { context } } }", editor, "context");
        Assert.Equal(6L, await h.Database.CountAsync("tasks"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Rows_outside_the_item_filter_silently_do_not_appear_anywhere(DatabaseClient client)
    {
        await using var h = await WithEditorAsync(client);
        var editor = await EditorAsync(h);

        var data = await DataAsync(h, """
            { projects { name } projects_aggregated { countAll } artifact_versions_aggregated { countAll }
              tasks(filter: { id: { _eq: "aaaaaaaa-0000-4000-8000-000000000004" } }) { title project_id { name } } }
            """, editor);
        Assert.Equal("""[{"name":"Apollo"}]""", data.GetProperty("projects").GetRawText());
        Assert.Equal(1, data.GetProperty("projects_aggregated")[0].GetProperty("countAll").GetInt32());
        Assert.Equal(7, data.GetProperty("artifact_versions_aggregated")[0].GetProperty("countAll").GetInt32());
        // The task is readable; its project is not, so the relation is null (as for a missing row).
        Assert.Equal("""[{"title":"Collect requirements","project_id":null}]""", data.GetProperty("tasks").GetRawText());

        var byId = await h.ExecuteDirectusJsonAsync("""{ projects_by_id(id: "22222222-2222-4222-8222-222222222222") { id } }""", who: editor);
        Assert.Contains("FORBIDDEN", byId);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Hidden_rows_and_fields_cannot_be_inferred_through_filters_sorts_groups_or_search(DatabaseClient client)
    {
        await using var h = await WithEditorAsync(client);
        var editor = await EditorAsync(h);

        // Borealis is hidden: filtering tasks by its name through the relation finds nothing.
        var data = await DataAsync(h, """
            { byName: tasks(filter: { project_id: { name: { _eq: "Borealis" } } }) { id }
              some: projects(filter: { id: { _nnull: true } }) { id }
              search: projects(search: "Borealis") { id } }
            """, editor);
        Assert.Equal("[]", data.GetProperty("byName").GetRawText());
        Assert.Equal(1, data.GetProperty("some").GetArrayLength());
        Assert.Equal("[]", data.GetProperty("search").GetRawText());

        Assert.Contains("FORBIDDEN", await h.ExecuteDirectusJsonAsync("""{ projects(sort: ["context_version"]) { id } }""", who: editor));
        Assert.Contains("FORBIDDEN", await h.ExecuteDirectusJsonAsync("""{ tasks(sort: ["project_id.context_version"]) { id } }""", who: editor));
        Assert.Contains("FORBIDDEN", await h.ExecuteDirectusJsonAsync("""{ projects_aggregated(groupBy: ["context_version"]) { countAll } }""", who: editor));
        // Searching only looks at readable fields: the context (hidden) mentions "alice".
        Assert.Equal("[]", (await DataAsync(h, """{ projects(search: "alice") { id } }""", editor)).GetProperty("projects").GetRawText());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Writes_outside_the_permissions_are_FORBIDDEN_and_change_nothing(DatabaseClient client)
    {
        await using var h = await WithEditorAsync(client);
        var editor = await EditorAsync(h);

        var outsideFilter = await h.ExecuteDirectusJsonAsync($$"""mutation { update_tasks_item(id: "{{BorealisTask}}", data: { title: "x" }) { id } }""", who: editor);
        Assert.Contains("FORBIDDEN", outsideFilter);
        var missing = await h.ExecuteDirectusJsonAsync("""mutation { update_tasks_item(id: "aaaaaaaa-0000-4000-8000-000000000099", data: { title: "x" }) { id } }""", who: editor);
        Assert.Contains("FORBIDDEN", missing);
        Assert.Equal(["Collect requirements"], await h.Database.QueryAsync($"SELECT title FROM tasks WHERE id = '{BorealisTask}'"));

        var ok = await DataAsync(h, """mutation { update_tasks_item(id: "aaaaaaaa-0000-4000-8000-000000000001", data: { title: "Write the spec" }) { title } }""", editor);
        Assert.Equal("Write the spec", ok.GetProperty("update_tasks_item").GetProperty("title").GetString());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Direct_approval_is_withheld_while_promoteArtifact_stays_allowed(DatabaseClient client)
    {
        await using var h = await WithEditorAsync(client);
        var editor = await EditorAsync(h);

        var direct = await h.ExecuteDirectusJsonAsync(
            """mutation { update_artifact_versions_item(id: "bbbbbbbb-0000-4000-8000-000000000003", data: { status: "approved" }) { id } }""", who: editor);
        Assert.Contains("FAILED_VALIDATION", direct);
        Assert.Equal(["draft"], await h.Database.QueryAsync("SELECT status FROM artifact_versions WHERE id = 'bbbbbbbb-0000-4000-8000-000000000003'"));

        var promoted = await DataAsync(h, """mutation { promoteArtifact(id: "bbbbbbbb-0000-4000-8000-000000000003") { artifact_version { status } replayed } }""", editor);
        Assert.Equal("approved", promoted.GetProperty("promoteArtifact").GetProperty("artifact_version").GetProperty("status").GetString());

        // Borealis's versions are outside the promote permission's item filter.
        var other = await h.ExecuteDirectusJsonAsync("""mutation { promoteArtifact(id: "bbbbbbbb-0000-4000-8000-000000000009") { replayed } }""", who: editor);
        Assert.Contains("FORBIDDEN", other);
        Assert.Equal(["pending"], await h.Database.QueryAsync("SELECT status FROM artifact_versions WHERE id = 'bbbbbbbb-0000-4000-8000-000000000009'"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task The_public_sees_nothing_by_default_and_gets_what_its_policy_grants(DatabaseClient client)
    {
        await using var h = await WithEditorAsync(client);

        await InvalidAsync(h, "{ tasks { id } }", await h.PublicAsync(), "tasks");

        // An administrator grants the public read access to task titles: it applies at once.
        await DataAsync(h, """
            mutation { create_policies_item(data: { id: "0c000000-0000-4000-8000-000000000003", name: "Public", admin_access: false, app_access: false }) { id }
                       create_access_item(data: { id: "0d000000-0000-4000-8000-000000000003",
                         policy: { id: "0c000000-0000-4000-8000-000000000003", name: "Public", admin_access: false, app_access: false } }) { id }
                       create_permissions_item(data: { collection: "tasks", action: "read", fields: ["id", "title"],
                         policy: { id: "0c000000-0000-4000-8000-000000000003", name: "Public", admin_access: false, app_access: false } }) { id fields } }
            """, EngineHarness.Admin, GraphQLScope.System);
        var data = await DataAsync(h, """{ tasks(limit: 1) { title } }""", await h.PublicAsync());
        Assert.Equal("Write spec", data.GetProperty("tasks")[0].GetProperty("title").GetString());
        await InvalidAsync(h, "{ tasks { status } }", await h.PublicAsync(), "status");
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task A_token_acts_only_as_its_user_and_a_revoked_token_stops_at_once(DatabaseClient client)
    {
        await using var h = await WithEditorAsync(client);
        var editor = await EditorAsync(h);
        Assert.Equal(Guid.Parse("0a000000-0000-4000-8000-000000000002"), editor.UserId);
        Assert.False(editor.IsAdmin);
        Assert.Null(await h.SignInAsync("editor-token "));
        Assert.Null(await h.SignInAsync("EDITOR-TOKEN"));

        await DataAsync(h, """mutation { update_users_item(id: "0a000000-0000-4000-8000-000000000002", data: { token: "new-editor-token" }) { id } }""",
            EngineHarness.Admin, GraphQLScope.System);

        Assert.Null(await h.SignInAsync("editor-token"));
        Assert.NotNull(await h.SignInAsync("new-editor-token"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task The_README_role_example_creates_a_working_role_and_token(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        var readme = await File.ReadAllTextAsync(Path.Combine(SharedPaths.RepositoryRoot, "README.md"));
        var section = readme[readme.IndexOf("## Roles, permissions and tokens", StringComparison.Ordinal)..];
        var start = section.IndexOf("```graphql\n", StringComparison.Ordinal) + "```graphql\n".Length;
        var mutation = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];

        await DataAsync(h, mutation, EngineHarness.Admin, GraphQLScope.System);

        var eddie = await h.SignInAsync("a-long-random-token") ?? throw new InvalidOperationException("the token does not sign in");
        var tasks = await DataAsync(h, "{ tasks { title } }", eddie);
        Assert.Equal(3, tasks.GetProperty("tasks").GetArrayLength());
        await InvalidAsync(h, "{ projects { id } }", eddie, "projects");
        Assert.Contains("FAILED_VALIDATION", await h.ExecuteDirectusJsonAsync(
            """mutation { update_artifact_versions_item(id: "bbbbbbbb-0000-4000-8000-000000000003", data: { status: "approved" }) }""", who: eddie));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Schemas_are_built_once_per_set_of_permissions_and_anew_when_the_permissions_change(DatabaseClient client)
    {
        await using var h = await WithEditorAsync(client);
        var editor = await EditorAsync(h);

        // A second user of the same role (a different caller, the same permissions) gets the very same schema object.
        await DataAsync(h, """
            mutation { create_users_item(data: { id: "0a000000-0000-4000-8000-000000000003", token: "second-editor-token",
              role: { id: "0b000000-0000-4000-8000-000000000002", name: "Editor", admin_access: false } }) { id } }
            """, EngineHarness.Admin, GraphQLScope.System);
        var second = await h.SignInAsync("second-editor-token") ?? throw new InvalidOperationException("no second editor");
        Assert.NotEqual(editor.UserId, second.UserId);
        var schema = h.Schemas.GetSchema(GraphQLScope.Items, editor);
        Assert.Same(schema, h.Schemas.GetSchema(GraphQLScope.Items, second));
        Assert.Same(schema, h.Schemas.GetSchema(GraphQLScope.Items, editor));
        Assert.NotSame(schema, h.Schemas.GetSchema(GraphQLScope.Items, EngineHarness.Admin));

        // One more readable field: the role's next request gets a schema that has it.
        await DataAsync(h, """mutation { update_permissions_item(id: 2, data: { fields: ["id", "name", "context"] }) { id } }""",
            EngineHarness.Admin, GraphQLScope.System);
        var widened = await EditorAsync(h);
        Assert.NotSame(schema, h.Schemas.GetSchema(GraphQLScope.Items, widened));
        Assert.Equal(JsonValueKind.Object, (await DataAsync(h, "{ projects { context } }", widened)).GetProperty("projects")[0].GetProperty("context").ValueKind);
    }

    private static async Task<EngineHarness> WithEditorAsync(DatabaseClient client)
    {
        var h = await EngineHarness.WithSeedAsync(client);
        await h.Database.ImportAsync(SharedPaths.Fixture("editor-role.json"));
        return h;
    }

    private static async Task<Accountability> EditorAsync(EngineHarness h) => await h.SignInAsync("editor-token") ?? throw new InvalidOperationException("no editor");

    /// <summary>The query fails validation (as the HTTP endpoint answers 400 GRAPHQL_VALIDATION), naming the field.</summary>
    private static async Task InvalidAsync(EngineHarness h, string query, Accountability who, string field)
    {
        var result = await h.ExecuteAsync(query, who: who);
        var messages = (result.Errors ?? []).OfType<global::GraphQL.Validation.ValidationError>().Select(e => e.Message).ToList();
        Assert.True(messages.Any(m => m.Contains($"'{field}'", StringComparison.Ordinal)), $"{query}: {string.Join(" | ", messages)}");
    }

    private static async Task<JsonElement> DataAsync(EngineHarness h, string query, Accountability who, GraphQLScope scope = GraphQLScope.Items)
    {
        var json = await h.ExecuteDirectusJsonAsync(query, scope, who: who);
        using var document = JsonDocument.Parse(json);
        Assert.False(document.RootElement.TryGetProperty("errors", out _), json);
        return document.RootElement.GetProperty("data").Clone();
    }
}
