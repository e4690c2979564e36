using System.Text;
using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Entities;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Items;
using ArtifactGraph.Server.Rest;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArtifactGraph.Tests.Streaming;

/// <summary>
/// <c>export=json|csv|csv_utf8|xml|yaml</c> of a list that may be larger than a batch is sent as it is read (chunked, no
/// <c>Content-Length</c>), in the bytes of the file built whole from the same rows: over two and a half batches of versions,
/// CSV's columns include some that first appear in the second and third batches (a many-to-one that is null before,
/// keys of a JSON column), so its header must come from all the rows. What fails before the first byte is answered as
/// for a small list; a database lost half-way aborts the connection, so that no client takes the part for the file.
/// </summary>
public sealed class StreamedExportTests
{
    private const int Versions = 2 * TestDatabase.BatchSize + 500;

    private const string List = "fields=id,schema_key,version,status,content,primary_file_id.id,primary_file_id.filename_download,files.sort,files.directus_files_id.id"
        + "&filter[schema_key][_starts_with]=export/&sort=schema_key&limit=-1";

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_large_export_is_sent_as_it_is_read_in_the_bytes_of_the_file_built_whole(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);
        await SeedAsync(live.Database);
        await using var h = new EngineHarness(live.Database, live.Database.Settings, ownsDatabase: false);
        using var http = live.Client();

        foreach (var (format, mediaType) in new[] { ("json", "application/json"), ("csv", "text/csv"), ("xml", "text/xml"), ("yaml", "text/yaml") })
        {
            var query = $"{List}&export={format}";
            using var response = await http.GetAsync("/items/artifact_versions?" + query, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.TransferEncodingChunked, format);
            Assert.Null(response.Content.Headers.ContentLength);
            Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
            Assert.Matches($"^attachment; filename=\"artifact_versions [0-9]{{8}}-[0-9]{{3,6}}\\.{format}\"$", response.Content.Headers.ContentDisposition?.ToString());
            var streamed = await response.Content.ReadAsByteArrayAsync();

            var whole = await WholeAsync(h, query);
            Assert.Equal(Encoding.UTF8.GetString(whole), Encoding.UTF8.GetString(streamed));
            Assert.True(whole.AsSpan().SequenceEqual(streamed), format);
            if (format == "json")
            {
                Assert.Equal(Versions, JsonDocument.Parse(streamed).RootElement.GetArrayLength());
            }
        }

        // The CSV's late columns: the file holds the rows of every batch under the columns of every batch.
        var header = (await http.GetStringAsync($"/items/artifact_versions?{List}&export=csv")).Split('\n')[0];
        Assert.EndsWith("\"primary_file_id.id\",\"primary_file_id.filename_download\",\"content.late.deep\"", header);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task What_fails_before_the_first_byte_is_answered_as_for_a_small_export(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);
        using var admin = live.Client();
        using var anonymous = live.Client(token: null);

        (HttpClient Http, string Query)[] refused =
        [
            (admin, "export=bogus"),
            (admin, "export=csv&sort=no_such_field"),
            (admin, "export=csv&filter[no_such_field][_eq]=1"),
            (anonymous, "export=csv"),
        ];
        foreach (var (http, query) in refused)
        {
            var (largeStatus, large) = await AnswerAsync(http, $"/items/artifact_versions?limit=-1&{query}");
            var (smallStatus, small) = await AnswerAsync(http, $"/items/artifact_versions?limit=10&{query}");
            Assert.True(largeStatus >= 400, query);
            Assert.Equal((smallStatus, small), (largeStatus, large));
        }

        var (status, body) = await AnswerAsync(admin, "/items/artifact_versions?limit=-1&export=bogus");
        Assert.Equal(400, status);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("errors")[0];
        Assert.Equal("INVALID_QUERY", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal("Invalid query. \"export\" must be one of [csv, csv_utf8, json, xml, yaml].", error.GetProperty("message").GetString());
    }

    /// <summary>
    /// What XML cannot hold (a JSON key that is not an XML name, a control character in a text), where Directus answers
    /// 500 (js2xmlparser throws): 422 <c>UNPROCESSABLE_CONTENT</c> naming it, for a small export and for the first batch of
    /// a large one; the other formats write it.
    /// </summary>
    [Fact]
    public async Task An_xml_export_of_what_xml_cannot_hold_is_refused_before_the_first_byte()
    {
        await using var live = await LiveServer.StartAsync(DatabaseClient.Sqlite);
        await live.Database.ExecuteAsync("""
            INSERT INTO projects (id, name, context, context_version) VALUES ('33333333-3333-4333-8333-333333333333', 'Numbered', '{"1":"one"}', 0);
            INSERT INTO tasks (id, title) VALUES ('aaaaaaaa-0000-4000-8000-0000000000ff', 'bell' || char(7));
            """);
        using var admin = live.Client();

        foreach (var limit in new[] { "limit=10", "limit=-1" })
        {
            var (keyStatus, key) = await AnswerAsync(admin, $"/items/projects?fields=id,context&filter[name][_eq]=Numbered&{limit}&export=xml");
            var (charStatus, character) = await AnswerAsync(admin, $"/items/tasks?fields=title&{limit}&export=xml");

            Assert.Equal((422, 422), (keyStatus, charStatus));
            var error = JsonDocument.Parse(key).RootElement.GetProperty("errors")[0];
            Assert.Equal("UNPROCESSABLE_CONTENT", error.GetProperty("extensions").GetProperty("code").GetString());
            Assert.Equal("Can't process content. \"1\" is not an XML element name, so the items cannot be exported as XML.", error.GetProperty("message").GetString());
            Assert.Contains("U+0007, which XML cannot hold", character);
            Assert.Equal(200, (await AnswerAsync(admin, $"/items/tasks?fields=title&{limit}&export=yaml")).Status);
        }
    }

    /// <summary>
    /// The database lost half-way (<see cref="StreamedHttpTests.ReceiveUntilTheDatabaseIsLostAsync"/>) through a JSON
    /// export, and through a CSV one, whose first pass has read the list through before the first byte: the body ends early.
    /// </summary>
    [Fact]
    public async Task A_database_lost_half_way_aborts_an_export()
    {
        await using var live = await LiveServer.StartAsync(DatabaseClient.Postgres);
        await StreamedHttpTests.SeedLargeListAsync(live);

        foreach (var format in new[] { "json", "csv" })
        {
            var received = await StreamedHttpTests.ReceiveUntilTheDatabaseIsLostAsync(live,
                () => new HttpRequestMessage(HttpMethod.Get, $"/items/artifact_versions?fields=id,files.directus_files_id.id&limit=-1&export={format}"));
            Assert.NotEmpty(received);
            if (format == "json")
            {
                Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(received));
            }
        }

        // The server goes on: the export is sent whole.
        using var again = live.Client();
        var csv = await again.GetStringAsync("/items/artifact_versions?fields=id&limit=-1&export=csv");
        Assert.Equal(1 + StreamedHttpTests.LargeList + 12, csv.Split('\n').Length);
    }

    /// <summary>
    /// A list that may be large but is one batch (<c>limit=-1</c> on the seed's projects) is read once for CSV too, its
    /// columns and lines from the same rows: the statements of the JSON export, and Directus's file.
    /// </summary>
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_one_batch_export_is_read_once_in_the_file_of_a_small_list(DatabaseClient client)
    {
        await using var h = await EngineHarness.WithSeedAsync(client);
        const string projects = "fields=id,name,context&sort=name";

        h.Statements.Reset();
        var json = await ExportAsync(h, "projects", $"{projects}&limit=-1&export=json", streamed: true);
        var jsonStatements = h.Statements.Count;
        h.Statements.Reset();
        var csv = await ExportAsync(h, "projects", $"{projects}&limit=-1&export=csv", streamed: true);

        Assert.Equal(jsonStatements, h.Statements.Count);
        Assert.Equal(await ExportAsync(h, "projects", $"{projects}&export=json", streamed: false), json);
        Assert.Equal(await ExportAsync(h, "projects", $"{projects}&export=csv", streamed: false), csv);
        foreach (var format in new[] { "xml", "yaml" })
        {
            Assert.Equal(
                await ExportAsync(h, "projects", $"{projects}&export={format}", streamed: false),
                await ExportAsync(h, "projects", $"{projects}&limit=-1&export={format}", streamed: true));
        }

        // Directus 12.4.1's answer (RestWriteShapesTests).
        Assert.Equal(
            "\"id\",\"name\",\"context.phase\",\"context.owner\",\"context.tags\",\"context\"\n"
            + "\"11111111-1111-4111-8111-111111111111\",\"Apollo\",\"design\",\"alice\",\"[\"\"core\"\",\"\"alpha\"\"]\",\n"
            + "\"22222222-2222-4222-8222-222222222222\",\"Borealis\",,,,",
            Encoding.UTF8.GetString(csv));
    }

    /// <summary>The export of <paramref name="query"/> read whole and built as a list of at most a batch is.</summary>
    private static Task<byte[]> WholeAsync(EngineHarness h, string query) => ExportAsync(h, "artifact_versions", query, streamed: false);

    /// <summary>
    /// The export of <paramref name="query"/> without HTTP: read whole and built as a list of at most a batch is, or
    /// <paramref name="streamed"/> as a large list is.
    /// </summary>
    private static async Task<byte[]> ExportAsync(EngineHarness h, string name, string query, bool streamed)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?" + query);
        var rest = RestQuery.Parse(context.Request.Query);
        var reader = h.Services.GetRequiredService<ItemReader>();
        var collection = h.Services.GetRequiredService<DirectusModel>()[name];
        var who = EngineHarness.Admin;
        var selection = RestSelection.Build(collection, rest.Fields, rest.Deep, rest.Alias, who.Access, reader.Options);
        using var body = new MemoryStream();
        context.Response.Body = body;
        if (streamed)
        {
            Assert.True(ItemBatches.Streams(rest.Args, reader.Options));
            await RestExport.StreamAsync(context, reader, collection, selection, rest.Args, who, rest.Export!, TimeProvider.System, NullLogger.Instance);
            Assert.Null(context.Response.ContentLength);
        }
        else
        {
            var rows = await reader.ReadManyAsync(collection, selection.Shape(rest.Args), who.Access, CancellationToken.None);
            await ItemTreeLoader.LoadAsync(selection, rows, new ReadContext(who, primesJoinedLoaders: false), reader, CancellationToken.None);
            await RestExport.WriteAsync(context, collection, selection, rows, rest.Export!, DateTimeOffset.UnixEpoch);
            Assert.Equal(body.Length, context.Response.ContentLength);
            // Named as Directus names it at midnight: its hours, minutes and seconds are not padded.
            Assert.Matches($"^attachment; filename=\"{name} 19700101-000\\.[a-z]+\"$", context.Response.Headers.ContentDisposition.ToString());
        }

        Assert.Equal(200, context.Response.StatusCode);
        return body.ToArray();
    }

    private static async Task<(int Status, string Body)> AnswerAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// <see cref="Versions"/> versions <c>export/0000</c>… in that order: no primary file before the second batch, a JSON content that is null, then objects, empty objects, lists and text, with keys that first appear in
    /// the second and the third batch; texts with quotes, commas and letters beyond ASCII; zero to two files each.
    /// </summary>
    private static async Task SeedAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var files = Enumerable.Range(0, 3).Select(i => new StoredFile
        {
            Id = Guid.NewGuid(), Storage = "local", FilenameDownload = $"f \"{i}\", été.txt", CreatedOn = DateTime.UtcNow, ModifiedOn = DateTime.UtcNow,
        }).ToList();
        db.Files.AddRange(files);
        string?[] statuses = ["draft", "say \"yes\", or no", "ünïcødé ✓", ""];
        db.ArtifactVersions.AddRange(Enumerable.Range(0, Versions).Select(i => new ArtifactVersion
        {
            Id = Guid.NewGuid(),
            SchemaKey = $"export/{i:D4}",
            Version = i % 11 == 0 ? null : i,
            Status = i % 7 == 0 ? null : statuses[i % 4],
            Content = i switch
            {
                < TestDatabase.BatchSize + 100 => null,
                _ when i % 13 == 0 => "\"text, \\\"quoted\\\" é\"",
                _ when i % 17 == 0 => "{}",
                _ when i % 19 == 0 => "[1,\"x\",{\"y\":null}]",
                >= (2 * TestDatabase.BatchSize) + 200 => $$$"""{"a":{{{i}}},"late":{"deep":true}}""",
                _ => $$$"""{"a":{{{i}}},"b":{"c":"x\"y, z"}}""",
            },
            PrimaryFileId = i < TestDatabase.BatchSize + 200 ? null : files[i % 3].Id,
            Files = [.. Enumerable.Range(0, i % 3).Select(f => new ArtifactFile { DirectusFilesId = files[(i + f) % 3].Id, Sort = f + 1 })],
        }));
        await db.SaveChangesAsync();
    }
}
