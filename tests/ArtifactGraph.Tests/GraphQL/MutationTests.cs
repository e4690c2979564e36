using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Server.GraphQL;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// Directus's create/update/delete mutations on the seed data, on both databases: the seed document's testing
/// checklist (artifacts with files, task links, the unique approved version per path, the delete rules), the
/// junction-row semantics, the error codes, and all-or-nothing transactions.
/// </summary>
public sealed class MutationTests
{
    private const string Apollo = "11111111-1111-4111-8111-111111111111";
    private const string Logo = "cccccccc-0000-4000-8000-000000000007";
    private const string Appendix = "cccccccc-0000-4000-8000-000000000008";
    private const string RequirementsV1 = "cccccccc-0000-4000-8000-000000000001";
    private const string NewVersion = "99999999-0000-4000-8000-000000000021";

    public static TheoryData<DatabaseClient> Databases => new() { DatabaseClient.Sqlite, DatabaseClient.Postgres };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Create_artifact_with_one_file_then_query_it_with_file_expansion(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        // As against Directus: nested create inputs keep their required fields (create_projects_input.context_version,
        // create_directus_files_input.storage and filename_download), so a client sends them with the related key (which
        // links the item and writes the same values back), or links in an update, whose inputs have no required fields.
        var created = await OkAsync(h, $$"""
            mutation { create_artifact_versions_item(data: { id: "{{NewVersion}}", project_id: { id: "{{Apollo}}", context_version: 3 }, schema_key: "docs/readme", version: 1,
              content: { text: "hi" }, primary_file_id: { id: "{{Logo}}", storage: "local", filename_download: "logo.png" },
              files: [{ sort: 1, directus_files_id: { id: "{{Logo}}", storage: "local", filename_download: "logo.png" } }] })
            { id status content primary_file_id { id filename_download } files { sort directus_files_id { id filename_download } } } }
            """);

        var item = created.GetProperty("create_artifact_versions_item");
        Assert.Equal("draft", item.GetProperty("status").GetString());
        Assert.Equal("""{"text":"hi"}""", item.GetProperty("content").GetRawText());
        Assert.Equal(Logo, item.GetProperty("primary_file_id").GetProperty("id").GetString());
        Assert.Equal("""[{"sort":1,"directus_files_id":{"id":"cccccccc-0000-4000-8000-000000000007","filename_download":"logo.png"}}]""",
            item.GetProperty("files").GetRawText());

        var read = await OkAsync(h, $$"""{ artifact_versions_by_id(id: "{{NewVersion}}") { files { directus_files_id { filename_download } } } }""");
        Assert.Equal("logo.png", read.GetProperty("artifact_versions_by_id").GetProperty("files")[0].GetProperty("directus_files_id").GetProperty("filename_download").GetString());
        Assert.Equal(8L, await h.Database.CountAsync("directus_files"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Update_with_several_files_replaces_the_junction_rows_in_sort_order(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        await OkAsync(h, $$"""mutation { create_artifact_versions_item(data: { id: "{{NewVersion}}", schema_key: "x" }) { id } }""");

        await OkAsync(h, $$"""
            mutation { update_artifact_versions_item(id: "{{NewVersion}}", data: { primary_file_id: { id: "{{Appendix}}" },
              files: [{ sort: 2, directus_files_id: { id: "{{Appendix}}" } }, { sort: 1, directus_files_id: { id: "{{Logo}}" } }] }) { id } }
            """);
        var replaced = await OkAsync(h, $$"""
            mutation { update_artifact_versions_item(id: "{{NewVersion}}", data: { files: [{ sort: 1, directus_files_id: { id: "{{RequirementsV1}}" } }] })
            { primary_file_id { id } files { sort directus_files_id { filename_download } } files_func { count } } }
            """);

        var item = replaced.GetProperty("update_artifact_versions_item");
        Assert.Equal(Appendix, item.GetProperty("primary_file_id").GetProperty("id").GetString());
        Assert.Equal("""[{"sort":1,"directus_files_id":{"filename_download":"requirements-v1.txt"}}]""", item.GetProperty("files").GetRawText());
        Assert.Equal(1, item.GetProperty("files_func").GetProperty("count").GetInt32());
        // Deselected junction rows are deleted, not left behind without a parent.
        Assert.Equal(15L, await h.Database.CountAsync("artifact_files"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Link_an_artifact_to_a_task_then_query_the_task_with_artifact_expansion(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        await OkAsync(h, """mutation { create_tasks_item(data: { id: "99999999-0000-4000-8000-000000000011", title: "Write docs", status: "todo" }) { id } }""");
        await OkAsync(h, $$"""mutation { update_tasks_item(id: "99999999-0000-4000-8000-000000000011", data: { project_id: { id: "{{Apollo}}" } }) { id } }""");

        await OkAsync(h, """
            mutation { create_task_artifacts_item(data: { task_id: { id: "99999999-0000-4000-8000-000000000011" },
              artifact_version_id: { id: "bbbbbbbb-0000-4000-8000-000000000003" }, sort: 1 }) { id } }
            """);
        var task = await OkAsync(h, """
            { tasks(filter: { title: { _eq: "Write docs" } }) { title project_id { name } artifacts { sort artifact_version_id { schema_key version } } } }
            """);

        Assert.Equal(
            """[{"title":"Write docs","project_id":{"name":"Apollo"},"artifacts":[{"sort":1,"artifact_version_id":{"schema_key":"spec/requirements","version":3}}]}]""",
            task.GetProperty("tasks").GetRawText());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Nested_many_to_one_with_fields_updates_the_related_item_in_the_same_transaction(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        var result = await OkAsync(h, $$"""
            mutation { update_tasks_item(id: "aaaaaaaa-0000-4000-8000-000000000006", data: { project_id: { id: "{{Apollo}}", name: "Apollo 2" } })
            { project_id { id name } } }
            """);

        Assert.Equal("Apollo 2", result.GetProperty("update_tasks_item").GetProperty("project_id").GetProperty("name").GetString());
        Assert.Equal(["Apollo 2"], await h.Database.QueryAsync($"SELECT name FROM projects WHERE id = '{Apollo}'"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Approving_a_second_version_of_a_path_directly_is_RECORD_NOT_UNIQUE_and_changes_nothing(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        var json = await h.ExecuteDirectusJsonAsync("""
            mutation { update_artifact_versions_item(id: "bbbbbbbb-0000-4000-8000-000000000003", data: { status: "approved", version: 30 }) { id } }
            """);

        var error = Error(json);
        Assert.Equal("RECORD_NOT_UNIQUE", error.Code);
        Assert.Equal("artifact_versions", error.Extensions.GetProperty("collection").GetString());
        Assert.Equal("project_id, schema_key", error.Extensions.GetProperty("field").GetString());
        Assert.Equal("Value for field \"project_id, schema_key\" in collection \"artifact_versions\" has to be unique.", error.Message);
        Assert.Equal(["draft"], await h.Database.QueryAsync("SELECT status FROM artifact_versions WHERE id = 'bbbbbbbb-0000-4000-8000-000000000003'"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Unique_violation_names_the_field_and_the_submitted_value(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        var json = await h.ExecuteDirectusJsonAsync("""
            mutation { create_artifact_approvals_item(data: { artifact_version_id: { id: "bbbbbbbb-0000-4000-8000-000000000002" }, context_version: 9 }) { id } }
            """);

        var error = Error(json);
        Assert.Equal("RECORD_NOT_UNIQUE", error.Code);
        Assert.Equal("artifact_version_id", error.Extensions.GetProperty("field").GetString());
        Assert.Equal("bbbbbbbb-0000-4000-8000-000000000002", error.Extensions.GetProperty("value").GetString());
        Assert.Equal("Value \"bbbbbbbb-0000-4000-8000-000000000002\" for field \"artifact_version_id\" in collection \"artifact_approvals\" has to be unique.", error.Message);
        Assert.Equal(3L, await h.Database.CountAsync("artifact_approvals"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task A_failure_in_a_batch_rolls_back_the_whole_mutation(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        // The first task and the nested project rename are written before the second task's duplicate key fails.
        var json = await h.ExecuteDirectusJsonAsync($$"""
            mutation { create_tasks_items(data: [
              { id: "99999999-0000-4000-8000-000000000011", title: "A", project_id: { id: "{{Apollo}}", name: "Renamed", context_version: 3 } },
              { id: "aaaaaaaa-0000-4000-8000-000000000001", title: "duplicate key" }]) { id } }
            """);

        var error = Error(json);
        Assert.Equal("RECORD_NOT_UNIQUE", error.Code);
        Assert.Equal("id", error.Extensions.GetProperty("field").GetString());
        Assert.DoesNotContain("\"data\"", json);
        Assert.Equal(6L, await h.Database.CountAsync("tasks"));
        Assert.Equal(["Apollo"], await h.Database.QueryAsync($"SELECT name FROM projects WHERE id = '{Apollo}'"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Bad_values_are_refused_before_the_database_with_Directus_codes(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        // Directus 12.4.1 answers this with its payload validation (checked on the reference server), not the database's code.
        Assert.Equal("FAILED_VALIDATION", Error(await h.ExecuteDirectusJsonAsync($$"""mutation { update_projects_item(id: "{{Apollo}}", data: { context_version: null }) { id } }""")).Code);
        Assert.Equal("VALUE_TOO_LONG", Error(await h.ExecuteDirectusJsonAsync($$"""mutation { update_projects_item(id: "{{Apollo}}", data: { name: "{{new string('x', 256)}}" }) { id } }""")).Code);
        Assert.Equal("INVALID_PAYLOAD", Error(await h.ExecuteDirectusJsonAsync($$"""mutation { update_artifact_versions_item(id: "bbbbbbbb-0000-4000-8000-000000000003", data: { date_created: "not a date" }) { id } }""")).Code);
        var dangling = Error(await h.ExecuteDirectusJsonAsync("""mutation { update_tasks_item(id: "aaaaaaaa-0000-4000-8000-000000000006", data: { project_id: { id: "99999999-0000-4000-8000-00000000dead" } }) { id } }"""));
        Assert.Equal("INVALID_FOREIGN_KEY", dangling.Code);
        Assert.Equal("project_id", dangling.Extensions.GetProperty("field").GetString());
        Assert.Equal("INVALID_PAYLOAD", Error(await h.ExecuteDirectusJsonAsync("""mutation { update_tasks_batch(data: [{ title: "no key" }]) { id } }""")).Code);

        Assert.Equal(["Apollo"], await h.Database.QueryAsync($"SELECT name FROM projects WHERE id = '{Apollo}'"));
        Assert.Equal([null], await h.Database.QueryAsync("SELECT project_id FROM tasks WHERE id = 'aaaaaaaa-0000-4000-8000-000000000006'"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Update_of_a_missing_or_malformed_id_is_FORBIDDEN_and_delete_of_a_missing_id_succeeds(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        Assert.Equal("FORBIDDEN", Error(await h.ExecuteDirectusJsonAsync("""mutation { update_tasks_item(id: "aaaaaaaa-0000-4000-8000-000000000099", data: { title: "x" }) { id } }""")).Code);
        Assert.Equal("FORBIDDEN", Error(await h.ExecuteDirectusJsonAsync("""mutation { update_tasks_item(id: "nope", data: { title: "x" }) { id } }""")).Code);
        Assert.Equal("FORBIDDEN", Error(await h.ExecuteDirectusJsonAsync("""mutation { delete_task_artifacts_item(id: "1; DROP TABLE tasks") { id } }""")).Code);
        var deleted = await OkAsync(h, """mutation { delete_tasks_item(id: "aaaaaaaa-0000-4000-8000-000000000099") { id } }""");
        Assert.Equal("aaaaaaaa-0000-4000-8000-000000000099", deleted.GetProperty("delete_tasks_item").GetProperty("id").GetString());
        Assert.Equal(6L, await h.Database.CountAsync("tasks"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Update_items_and_batch_return_the_updated_items_shaped_by_the_read_arguments(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        var many = await OkAsync(h, """
            mutation { update_tasks_items(ids: ["aaaaaaaa-0000-4000-8000-000000000002", "aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000099"],
              data: { status: "blocked" }, sort: ["-title"]) { title status } }
            """);
        var batch = await OkAsync(h, """
            mutation { update_tasks_batch(data: [{ id: "aaaaaaaa-0000-4000-8000-000000000001", title: "One" }, { id: "aaaaaaaa-0000-4000-8000-000000000002", title: "Two" }], limit: 1) { title } }
            """);

        Assert.Equal("""[{"title":"Write spec","status":"blocked"},{"title":"Review spec","status":"blocked"}]""", many.GetProperty("update_tasks_items").GetRawText());
        Assert.Equal("""[{"title":"One"}]""", batch.GetProperty("update_tasks_batch").GetRawText());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Relations_read_after_a_mutation_in_the_same_request_are_fresh(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        var result = await OkAsync(h, """
            mutation {
              before: update_tasks_item(id: "aaaaaaaa-0000-4000-8000-000000000006", data: { title: "Orphan" }) { artifacts { id } }
              link: create_task_artifacts_item(data: { task_id: { id: "aaaaaaaa-0000-4000-8000-000000000006" }, artifact_version_id: { id: "bbbbbbbb-0000-4000-8000-000000000003" } }) { id }
              after: update_tasks_item(id: "aaaaaaaa-0000-4000-8000-000000000006", data: { title: "Orphan" }) { artifacts { artifact_version_id { id } } }
            }
            """);

        Assert.Equal("[]", result.GetProperty("before").GetProperty("artifacts").GetRawText());
        Assert.Equal(1, result.GetProperty("after").GetProperty("artifacts").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Delete_file_removes_its_links_and_clears_primary_unless_an_approved_version_uses_it(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        await OkAsync(h, $$"""
            mutation { create_artifact_versions_item(data: { id: "{{NewVersion}}", schema_key: "x", status: "draft",
              primary_file_id: { id: "{{Appendix}}", storage: "local", filename_download: "appendix_A.txt" } }) { id } }
            """);

        // requirements-v1.txt is attached to the approved version 2 of spec/requirements: refused, nothing changes.
        var refused = Error(await h.ExecuteDirectusJsonAsync($$"""mutation { delete_files_item(id: "{{RequirementsV1}}") { id } }""", GraphQLScope.System));
        Assert.Equal("INVALID_FOREIGN_KEY", refused.Code);
        Assert.Contains("approved artifact version", refused.Message);
        Assert.Equal(8L, await h.Database.CountAsync("directus_files"));
        Assert.Equal(14L, await h.Database.CountAsync("artifact_files"));

        // appendix_A.txt is attached to a pending version and is the primary file of a draft: both let go.
        await OkAsync(h, $$"""mutation { delete_files_item(id: "{{Appendix}}") { id } }""", GraphQLScope.System);
        Assert.Equal(7L, await h.Database.CountAsync("directus_files"));
        Assert.Equal(13L, await h.Database.CountAsync("artifact_files"));
        Assert.Equal([null], await h.Database.QueryAsync($"SELECT primary_file_id FROM artifact_versions WHERE id = '{NewVersion}'"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Delete_artifact_removes_its_junction_rows_but_an_approved_history_stays(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        var refused = Error(await h.ExecuteDirectusJsonAsync("""mutation { delete_artifact_versions_items(ids: ["bbbbbbbb-0000-4000-8000-000000000001", "bbbbbbbb-0000-4000-8000-000000000002"]) { ids } }"""));
        Assert.Equal("INVALID_FOREIGN_KEY", refused.Code);
        Assert.Equal("artifact_approvals", refused.Extensions.GetProperty("collection").GetString());
        Assert.Equal(12L, await h.Database.CountAsync("artifact_versions"));
        Assert.Equal(14L, await h.Database.CountAsync("artifact_files"));

        // Version 1 (superseded, never approved through promotion) has one file link and one task link.
        var deleted = await OkAsync(h, """mutation { delete_artifact_versions_items(ids: ["bbbbbbbb-0000-4000-8000-000000000001"]) { ids } }""");
        Assert.Equal("""["bbbbbbbb-0000-4000-8000-000000000001"]""", deleted.GetProperty("delete_artifact_versions_items").GetProperty("ids").GetRawText());
        Assert.Equal(11L, await h.Database.CountAsync("artifact_versions"));
        Assert.Equal(13L, await h.Database.CountAsync("artifact_files"));
        Assert.Equal(10L, await h.Database.CountAsync("task_artifacts"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Delete_task_removes_its_links_and_a_project_in_use_is_kept(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        await OkAsync(h, """mutation { delete_tasks_item(id: "aaaaaaaa-0000-4000-8000-000000000001") { id } }""");
        Assert.Equal(8L, await h.Database.CountAsync("task_artifacts"));

        var refused = Error(await h.ExecuteDirectusJsonAsync($$"""mutation { delete_projects_item(id: "{{Apollo}}") { id } }"""));
        Assert.Equal("INVALID_FOREIGN_KEY", refused.Code);
        Assert.Equal(2L, await h.Database.CountAsync("projects"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task System_files_update_writes_metadata_and_modified_on(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);

        var result = await OkAsync(h, $$"""
            mutation { update_files_items(ids: ["{{Logo}}", "{{Appendix}}"], data: { description: "checked", tags: ["a", "b"] }) { id description tags modified_on } }
            """, GraphQLScope.System);

        var files = result.GetProperty("update_files_items");
        Assert.Equal(2, files.GetArrayLength());
        Assert.All(files.EnumerateArray(), f => Assert.Equal("checked", f.GetProperty("description").GetString()));
        Assert.Equal("""["a","b"]""", files[0].GetProperty("tags").GetRawText());
        Assert.True(DateTime.Parse(files[0].GetProperty("modified_on").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime() > DateTime.UtcNow.AddMinutes(-5));
    }

    private static async Task<JsonElement> OkAsync(EngineHarness h, string query, GraphQLScope scope = GraphQLScope.Items)
    {
        var json = await h.ExecuteDirectusJsonAsync(query, scope);
        using var document = JsonDocument.Parse(json);
        Assert.False(document.RootElement.TryGetProperty("errors", out _), json);
        return document.RootElement.GetProperty("data").Clone();
    }

    private static (string Code, string Message, JsonElement Extensions) Error(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.True(document.RootElement.TryGetProperty("errors", out var errors), json);
        var error = errors[0];
        var extensions = error.GetProperty("extensions").Clone();
        return (extensions.GetProperty("code").GetString()!, error.GetProperty("message").GetString()!, extensions);
    }
}
