using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Storage;

/// <summary>
/// Issue 16: an upload's row goes through the item writer, so the whole permission applies (Fixtures/uploader-role.json:
/// create with fields <c>title,filename_download</c>, validation "title starts with Report", preset location "archive";
/// read of one's own files), column lengths hold on both databases, and a refused upload leaves no row and no bytes.
/// </summary>
public sealed class UploadPermissionTests
{
    private const string Uploader = "uploader-token";

    public static TheoryData<DatabaseClient> Databases => new() { DatabaseClient.Sqlite, DatabaseClient.Postgres };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Upload_restrictedRole_fieldsValidationAndPresetsApply(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client, "uploader-role.json");

        var (status, body) = await UploadAsync(live, Uploader, ("title", "Report Q3"));
        Assert.Equal(200, status);
        var row = body.GetProperty("data");
        Assert.Equal("Report Q3", row.GetProperty("title").GetString());
        Assert.Equal("archive", row.GetProperty("location").GetString());
        Assert.Equal("0a000000-0000-4000-8000-000000000004", row.GetProperty("uploaded_by").GetString());
        Assert.True(File.Exists(Path.Combine(live.Database.Settings.StorageLocalRoot, row.GetProperty("filename_disk").GetString()!)));

        var files = await live.Database.CountAsync("directus_files");
        var stored = StoredFiles(live);
        await AssertRefusedAsync(live, Uploader, 403, "FORBIDDEN", ("title", "Report"), ("description", "not allowed"));
        await AssertRefusedAsync(live, Uploader, 400, "FAILED_VALIDATION", ("title", "Holiday"));
        await AssertRefusedAsync(live, Uploader, 403, "FORBIDDEN", ("title", "Report"), ("location", "elsewhere"));
        Assert.Equal(files, await live.Database.CountAsync("directus_files"));
        Assert.Equal(stored, StoredFiles(live));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Upload_fieldsTheColumnsCannotHold_refused_noRowNoBytes(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);
        var files = await live.Database.CountAsync("directus_files");
        var stored = StoredFiles(live);

        await AssertRefusedAsync(live, ServerFixture.AdminToken, 400, "VALUE_TOO_LONG", ("title", new string('t', 300)));
        await AssertRefusedAsync(live, ServerFixture.AdminToken, 400, "VALUE_TOO_LONG", ("filename_download", new string('n', 300) + ".txt"));
        await AssertRefusedAsync(live, ServerFixture.AdminToken, 400, "INVALID_PAYLOAD", ("title", "nul\0here"));
        await AssertRefusedAsync(live, ServerFixture.AdminToken, 400, "INVALID_PAYLOAD", ("focal_point_x", "1e400"));
        await AssertRefusedAsync(live, ServerFixture.AdminToken, 400, "VALUE_OUT_OF_RANGE", ("focal_point_y", "99999999999999999999"));
        await AssertRefusedAsync(live, ServerFixture.AdminToken, 400, "INVALID_PAYLOAD", ("tags", "[\"a\",\"\\ud800\"]"));
        await AssertRefusedAsync(live, ServerFixture.AdminToken, 400, "INVALID_PAYLOAD", ("tags", "[1e400]"));
        await AssertRefusedAsync(live, ServerFixture.AdminToken, 400, "INVALID_FOREIGN_KEY", ("folder", "not-a-folder"));
        Assert.Equal(files, await live.Database.CountAsync("directus_files"));
        Assert.Equal(stored, StoredFiles(live));

        // Tags as a JSON array in which a repeated key cannot occur, and odd field names that are simply ignored.
        var (status, body) = await UploadAsync(live, ServerFixture.AdminToken, ("tags", "[\"a\",\"b\"]"), ("", "x"), ("__proto__", "x"), (new string('f', 2_000), "x"));
        Assert.Equal(200, status);
        Assert.Equal("""["a","b"]""", body.GetProperty("data").GetProperty("tags").GetRawText());
    }

    private static async Task AssertRefusedAsync(LiveServer live, string token, int status, string code, params (string Name, string Value)[] fields)
    {
        var (answered, body) = await UploadAsync(live, token, fields);
        Assert.True(answered == status && body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString() == code,
            $"{string.Join(", ", fields.Select(f => f.Name))}: {answered} {body.GetRawText()}");
    }

    /// <summary>The fields, then a small text file, then a second file with no fields (so both rows must be written or none).</summary>
    private static async Task<(int Status, JsonElement Body)> UploadAsync(LiveServer live, string token, params (string Name, string Value)[] fields)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            var part = new ByteArrayContent(Encoding.UTF8.GetBytes(value));
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = $"\"{name}\"" };
            form.Add(part);
        }

        form.Add(new ByteArrayContent("first"u8.ToArray()), "file", "first.txt");
        form.Add(new ByteArrayContent("second"u8.ToArray()), "file", "second.txt");
        using var http = live.Client(token);
        using var response = await http.PostAsync("/files", form);
        var text = await response.Content.ReadAsStringAsync();
        var answer = JsonDocument.Parse(text).RootElement.Clone();
        return ((int)response.StatusCode, answer.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
            ? JsonDocument.Parse($$"""{"data":{{data[0].GetRawText()}}}""").RootElement.Clone()
            : answer);
    }

    private static string[] StoredFiles(LiveServer live)
        => [.. Directory.GetFiles(live.Database.Settings.StorageLocalRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
}
