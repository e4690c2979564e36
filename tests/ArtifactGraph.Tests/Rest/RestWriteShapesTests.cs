using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Rest;

/// <summary>
/// REST behaviours the recorded cases do not show: <c>export</c> (CSV as Directus wrote it for the seed's projects, and
/// JSON), a one-to-many value as <c>{ create, update, delete }</c>, and an update by <c>{ query, data }</c>.
/// </summary>
public sealed class RestWriteShapesTests
{
    private const string Version = "bbbbbbbb-0000-4000-8000-000000000002";

    public static TheoryData<DatabaseClient> Databases => new() { DatabaseClient.Sqlite, DatabaseClient.Postgres };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Export_answers_a_download_in_Directus_CSV_or_JSON(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);
        using var http = live.Client();

        using var csv = await http.GetAsync("/items/projects?export=csv&fields=id,name,context&sort=name");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("attachment; filename=\"projects ", csv.Content.Headers.ContentDisposition?.ToString());
        // Directus 12.4.1's answer for the same request on the seed (json2csv: nested objects flattened, lists as JSON).
        Assert.Equal(
            "\"id\",\"name\",\"context.phase\",\"context.owner\",\"context.tags\",\"context\"\n"
            + "\"11111111-1111-4111-8111-111111111111\",\"Apollo\",\"design\",\"alice\",\"[\"\"core\"\",\"\"alpha\"\"]\",\n"
            + "\"22222222-2222-4222-8222-222222222222\",\"Borealis\",,,,",
            await csv.Content.ReadAsStringAsync());

        using var json = await http.GetAsync("/items/projects?export=json&fields=name&sort=name");
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""[{"name":"Apollo"},{"name":"Borealis"}]""", await json.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task A_detailed_one_to_many_value_changes_only_the_rows_it_names(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);

        // The version has junction rows 1, 2, 3: update 2's sort, delete 3, create one; row 1 stays untouched.
        var (status, body) = await live.SendJsonAsync(HttpMethod.Patch, $"/items/artifact_versions/{Version}?fields=files.id,files.sort,files.directus_files_id",
            """{"files":{"create":[{"directus_files_id":"cccccccc-0000-4000-8000-000000000004","sort":9}],"update":[{"id":2,"sort":20}],"delete":[3]}}""");
        Assert.Equal(200, status);
        var files = body.GetProperty("data").GetProperty("files").EnumerateArray()
            .Select(f => (f.GetProperty("sort").GetInt32(), f.GetProperty("directus_files_id").GetString())).ToList();
        Assert.Equal(
            [(1, "cccccccc-0000-4000-8000-000000000002"), (9, "cccccccc-0000-4000-8000-000000000004"), (20, "cccccccc-0000-4000-8000-000000000001")],
            files);
        Assert.Empty(await live.Database.QueryAsync("SELECT id FROM artifact_files WHERE id = 3"));

        // Bare keys in a full list link existing rows; rows left out of a full list go, as in GraphQL.
        (status, body) = await live.SendJsonAsync(HttpMethod.Patch, $"/items/artifact_versions/{Version}?fields=files", """{"files":[1]}""");
        Assert.Equal(200, status);
        Assert.Equal([1], body.GetProperty("data").GetProperty("files").EnumerateArray().Select(f => f.GetInt32()));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task An_update_by_query_changes_the_items_the_query_selects(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);

        var (status, body) = await live.SendJsonAsync(HttpMethod.Patch, "/items/artifact_versions?fields=id,status",
            """{"query":{"filter":{"status":{"_eq":"draft"}}},"data":{"status":"in_review"}}""");
        Assert.Equal(200, status);
        var updated = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(3, updated.Count);
        Assert.All(updated, v => Assert.Equal("in_review", v.GetProperty("status").GetString()));
        Assert.Empty(await live.Database.QueryAsync("SELECT id FROM artifact_versions WHERE status = 'draft'"));
    }
}
