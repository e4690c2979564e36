using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Rest;

/// <summary>
/// The REST routes obey the same access rules as GraphQL, for a role with item filters, field permissions and a
/// validation (<c>editor-role.json</c>: Apollo's versions and tasks, the projects' id and name, status and content updates
/// that may not approve).
/// </summary>
public sealed class RestAccessTests
{
    private const string Editor = "editor-token";
    private const string Apollo = "11111111-1111-4111-8111-111111111111";
    private const string ApolloVersion = "bbbbbbbb-0000-4000-8000-000000000003";
    private const string BorealisVersion = "bbbbbbbb-0000-4000-8000-000000000008";

    public static TheoryData<DatabaseClient> Databases => new() { DatabaseClient.Sqlite, DatabaseClient.Postgres };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Reads_see_only_the_rows_and_fields_the_role_may_read(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client, "editor-role.json");

        var (status, body) = await GetAsync(live, "/items/artifact_versions?fields=id,project_id&limit=-1&meta=total_count,filter_count", Editor);
        Assert.Equal(200, status);
        var projects = body.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("project_id").GetString()).ToList();
        var apolloVersions = await live.Database.QueryAsync($"SELECT id FROM artifact_versions WHERE project_id = '{Apollo}'");
        Assert.Equal(apolloVersions.Count, projects.Count);
        Assert.All(projects, p => Assert.Equal(Apollo, p));
        Assert.Equal(apolloVersions.Count, body.GetProperty("meta").GetProperty("total_count").GetInt32());

        // * is the fields the role may read; naming another one is refused as if it did not exist.
        (status, body) = await GetAsync(live, "/items/projects?fields=*", Editor);
        Assert.Equal(200, status);
        var project = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal(["id", "name"], project.EnumerateObject().Select(p => p.Name).Order());
        (status, body) = await GetAsync(live, "/items/projects?fields=id,context", Editor);
        Assert.Equal(403, status);
        Assert.Equal("You don't have permission to access field \"context\" in collection \"projects\" or it does not exist. Queried in root.", Message(body));

        // Another project's version and a collection without permission: the same 403 as an item that does not exist.
        (status, body) = await GetAsync(live, $"/items/artifact_versions/{BorealisVersion}", Editor);
        Assert.Equal((403, "FORBIDDEN"), (status, Code(body)));
        (status, body) = await GetAsync(live, "/items/artifact_files", Editor);
        Assert.Equal(403, status);
        Assert.Equal("You don't have permission to access collection \"artifact_files\" or it does not exist. Queried in root.", Message(body));
        (status, _) = await GetAsync(live, "/items/tasks", null);
        Assert.Equal(403, status);
        (status, body) = await GetAsync(live, "/items/tasks", "no-such-token");
        Assert.Equal((401, "INVALID_CREDENTIALS"), (status, Code(body)));

        // An aggregate counts what the role may read only.
        (status, body) = await GetAsync(live, "/items/artifact_versions?aggregate[count]=*", Editor);
        Assert.Equal(apolloVersions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("data")[0].GetProperty("count").GetString());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Writes_obey_field_permissions_item_filters_and_validation(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client, "editor-role.json");

        var (status, body) = await live.SendJsonAsync(HttpMethod.Patch, $"/items/artifact_versions/{ApolloVersion}?fields=id,status", """{"status":"in_review"}""", Editor);
        Assert.Equal(200, status);
        Assert.Equal("in_review", body.GetProperty("data").GetProperty("status").GetString());

        (status, body) = await live.SendJsonAsync(HttpMethod.Patch, $"/items/artifact_versions/{ApolloVersion}", """{"status":"approved"}""", Editor);
        Assert.Equal((400, "FAILED_VALIDATION"), (status, Code(body)));
        (status, body) = await live.SendJsonAsync(HttpMethod.Patch, $"/items/artifact_versions/{ApolloVersion}", """{"schema_key":"x/y"}""", Editor);
        Assert.Equal((403, "FORBIDDEN"), (status, Code(body)));
        (status, body) = await live.SendJsonAsync(HttpMethod.Patch, $"/items/artifact_versions/{BorealisVersion}", """{"status":"in_review"}""", Editor);
        Assert.Equal((403, "FORBIDDEN"), (status, Code(body)));
        (status, body) = await live.SendJsonAsync(HttpMethod.Delete, $"/items/artifact_versions", $"[\"{ApolloVersion}\"]", Editor);
        Assert.Equal((403, "FORBIDDEN"), (status, Code(body)));

        Assert.Equal(["in_review"], await live.Database.QueryAsync($"SELECT status FROM artifact_versions WHERE id = '{ApolloVersion}'"));
        Assert.Equal(["approved"], await live.Database.QueryAsync($"SELECT status FROM artifact_versions WHERE id = '{BorealisVersion}'"));

        // A create the role may do, answered with the row read back through its read permission.
        (status, body) = await live.SendJsonAsync(HttpMethod.Post, "/items/task_artifacts?fields=task_id,sort",
            $$"""{"task_id":"aaaaaaaa-0000-4000-8000-000000000001","artifact_version_id":"{{ApolloVersion}}","sort":50}""", Editor);
        Assert.Equal(200, status);
        Assert.Equal(50, body.GetProperty("data").GetProperty("sort").GetInt32());
        (status, body) = await live.SendJsonAsync(HttpMethod.Post, "/items/tasks", """{"title":"not allowed"}""", Editor);
        Assert.Equal((403, "FORBIDDEN"), (status, Code(body)));
    }

    private static async Task<(int Status, JsonElement Body)> GetAsync(LiveServer live, string path, string? token)
    {
        using var http = live.Client(token);
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string? Code(JsonElement body) => body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString();

    private static string? Message(JsonElement body) => body.GetProperty("errors")[0].GetProperty("message").GetString();
}
