using System.Text;
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
    public async Task Export_answers_a_download_in_Directus_CSV_CSV_with_a_byte_order_mark_or_JSON(DatabaseClient client)
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

        using var bom = await http.GetAsync("/items/projects?export=csv_utf8&fields=id,name,context&sort=name");
        Assert.Equal("text/csv", bom.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv\"", bom.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal([0xEF, 0xBB, 0xBF, .. await csv.Content.ReadAsByteArrayAsync()], await bom.Content.ReadAsByteArrayAsync());

        // Directus 12.4.1's answer for the same request on the seed: JSON.stringify(data, null, '\t').
        using var json = await http.GetAsync("/items/projects?export=json&fields=name,context&sort=name");
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "[\n\t{\n\t\t\"name\": \"Apollo\",\n\t\t\"context\": {\n\t\t\t\"phase\": \"design\",\n\t\t\t\"owner\": \"alice\",\n\t\t\t\"tags\": [\n"
            + "\t\t\t\t\"core\",\n\t\t\t\t\"alpha\"\n\t\t\t]\n\t\t}\n\t},\n\t{\n\t\t\"name\": \"Borealis\",\n\t\t\"context\": null\n\t}\n]",
            await json.Content.ReadAsStringAsync());

        // Directus's answer to a format it does not know.
        using var bogus = await http.GetAsync("/items/projects?export=bogus");
        Assert.Equal(400, (int)bogus.StatusCode);
        Assert.Contains("""Invalid query. \"export\" must be one of [csv, csv_utf8, json, xml, yaml].""", await bogus.Content.ReadAsStringAsync());

        // A list without rows: "[]", and an empty CSV (no header, no byte order mark), as Directus.
        const string none = "fields=name&filter[name][_eq]=none";
        Assert.Equal("[]", await http.GetStringAsync($"/items/projects?export=json&{none}"));
        Assert.Empty(await http.GetByteArrayAsync($"/items/projects?export=csv&{none}"));
        Assert.Empty(await http.GetByteArrayAsync($"/items/projects?export=csv_utf8&{none}"));
    }

    private static readonly Dictionary<string, string> RecordedDownloads = new()
    {
        ["artifact_versions"] = "/items/artifact_versions?fields=id,version,status,content,primary_file_id,files.id,files.sort,"
            + "files.directus_files_id.id,files.directus_files_id.filename_download,files.directus_files_id.filesize&sort=date_created&limit=3",
        ["tasks"] = "/items/tasks?fields=id,title,status,artifacts.*&sort=title",
        ["projects"] = "/items/projects?fields=id,name,context&sort=name",
    };

    /// <summary>
    /// Directus 12.4.1's XML and YAML downloads on the seed, recorded in <c>tests/reference/directus/exports/</c>: versions
    /// with their files (a big integer as text), tasks with their links (one without any), and projects with the four of
    /// <c>project-*.json</c> added: texts with quotes, <c>&lt;</c>, <c>&amp;</c>, <c>]]&gt;</c>, non-ASCII, several lines,
    /// long lines (folded at widths that narrow with depth), tabs, numbers, booleans and dates as text, empty lists and objects, lists of lists, JSON's own types.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Export_answers_XML_and_YAML_downloads_in_the_bytes_Directus_wrote(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);
        using var http = live.Client();
        var recorded = Path.Combine(SharedPaths.DirectusReference, "exports");
        foreach (var project in new[] { 3, 4, 5, 6 })
        {
            var (status, _) = await live.SendJsonAsync(
                HttpMethod.Post, "/items/projects?fields=id", await File.ReadAllTextAsync(Path.Combine(recorded, $"project-{project}.json")));
            Assert.Equal(200, status);
        }

        foreach (var (collection, list) in RecordedDownloads)
        {
            foreach (var (format, mediaType) in new[] { ("xml", "text/xml"), ("yaml", "text/yaml") })
            {
                // Directus's js2xmlparser fails on project 3's JSON key "1", not a name XML allows: its XML leaves it out.
                var query = collection == "projects" && format == "xml" ? "&filter[id][_neq]=33333333-3333-4333-8333-333333333333" : "";
                using var response = await http.GetAsync($"{list}{query}&export={format}");
                Assert.Equal(200, (int)response.StatusCode);
                Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
                Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
                Assert.Matches($"^attachment; filename=\"{collection} [0-9]{{8}}-[0-9]{{3,6}}\\.{format}\"$", response.Content.Headers.ContentDisposition?.ToString());
                var expected = await File.ReadAllBytesAsync(Path.Combine(recorded, $"{collection}.{format}"));
                var actual = await response.Content.ReadAsByteArrayAsync();
                Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
                Assert.Equal(expected, actual);
            }
        }

        // A list without rows, as Directus: an empty root element, an empty YAML sequence.
        const string none = "fields=name&filter[name][_eq]=none";
        Assert.Equal("<?xml version='1.0'?>\n<data/>", await http.GetStringAsync($"/items/projects?export=xml&{none}"));
        Assert.Equal("[]\n", await http.GetStringAsync($"/items/projects?export=yaml&{none}"));
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
