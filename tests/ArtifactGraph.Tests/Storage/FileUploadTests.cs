using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ArtifactGraph.Tests.Infrastructure;
using ArtifactGraph.Tests.Limits;

namespace ArtifactGraph.Tests.Storage;

/// <summary>The server with <c>MAX_FILE_SIZE</c> 64kb and a <c>MAX_PAYLOAD_SIZE</c> (4kb) that uploads must not be bound by.</summary>
public sealed class UploadServer() : ServerFixture(new Dictionary<string, string>
{
    ["MAX_FILE_SIZE"] = "64kb",
    ["MAX_PAYLOAD_SIZE"] = "4kb",
});

/// <summary><c>POST /files</c> on the real server: rows as Directus answers them, the bytes in storage, and every refusal.</summary>
public sealed class FileUploadTests(UploadServer server) : IClassFixture<UploadServer>
{
    [Fact]
    public async Task Upload_oneFile_rowAndBytes()
    {
        var bytes = Encoding.UTF8.GetBytes("hello upload");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("Greeting"), "title");
        form.Add(File(bytes, "text/plain"), "file", "hello_world.txt");

        var (status, body) = await PostAsync(server.Client(), form);

        Assert.Equal(HttpStatusCode.OK, status);
        var row = body.GetProperty("data");
        var id = Guid.Parse(row.GetProperty("id").GetString()!);
        Assert.Equal($"{id}.txt", row.GetProperty("filename_disk").GetString());
        Assert.Equal("hello_world.txt", row.GetProperty("filename_download").GetString());
        Assert.Equal("Greeting", row.GetProperty("title").GetString());
        Assert.Equal("text/plain", row.GetProperty("type").GetString());
        Assert.Equal("local", row.GetProperty("storage").GetString());
        Assert.Equal(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), row.GetProperty("filesize").GetString()); // a bigint: text, as Directus
        Assert.Equal("0a000000-0000-4000-8000-000000000001", row.GetProperty("uploaded_by").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("width").ValueKind);
        Assert.EndsWith("Z", row.GetProperty("uploaded_on").GetString());
        Assert.Equal(bytes, await System.IO.File.ReadAllBytesAsync(Path.Combine(server.StorageRoot, $"{id}.txt")));

        var listed = await FilesNamedAsync("hello_world.txt");
        Assert.Equal(id.ToString(), Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Uploaded_files_attached_to_an_artifact_version_come_back_through_the_nested_query_and_assets()
    {
        var first = new byte[5_000];
        var second = Encoding.UTF8.GetBytes("the appendix of the new version");
        Random.Shared.NextBytes(first);
        using var form = new MultipartFormDataContent();
        form.Add(File(first, "application/octet-stream"), "file", "model.bin");
        form.Add(File(second, "text/plain"), "file", "appendix.txt");
        var (status, body) = await PostAsync(server.Client(), form);
        Assert.Equal(HttpStatusCode.OK, status);
        var ids = body.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToArray();

        // As a Directus client does: create the version, then attach the files (update inputs have no required fields).
        var version = Guid.NewGuid().ToString();
        using var client = server.Client();
        var created = await GraphQLAnswer.PostAsync(client, "mutation($id: ID!) { create_artifact_versions_item(data: { id: $id, schema_key: \"docs/model\" }) { id } }", new { id = version });
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var attached = await GraphQLAnswer.PostAsync(client, """
            mutation($id: ID!, $a: ID!, $b: ID!) { update_artifact_versions_item(id: $id, data: { primary_file_id: { id: $a },
              files: [{ sort: 1, directus_files_id: { id: $a } }, { sort: 2, directus_files_id: { id: $b } }] }) { id } }
            """, new { id = version, a = ids[0], b = ids[1] });
        Assert.False(attached.Body.TryGetProperty("errors", out _), attached.Body.GetRawText());

        var read = await GraphQLAnswer.PostAsync(client,
            "query($id: ID!) { artifact_versions_by_id(id: $id) { primaryFile: primary_file_id { id filesize } files { sort directus_files_id { id filename_download } } } }",
            new { id = version });
        var item = read.Body.GetProperty("data").GetProperty("artifact_versions_by_id");
        Assert.Equal(ids[0], item.GetProperty("primaryFile").GetProperty("id").GetString());
        Assert.Equal(new[] { "model.bin", "appendix.txt" },
            item.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("directus_files_id").GetProperty("filename_download").GetString()).ToArray());

        // The bytes come back identical, in ranges, and as 304 when unchanged.
        using var whole = await client.GetAsync($"/assets/{ids[0]}");
        Assert.Equal(first, await whole.Content.ReadAsByteArrayAsync());
        using var rangeRequest = new HttpRequestMessage(HttpMethod.Get, $"/assets/{ids[1]}");
        rangeRequest.Headers.Range = new RangeHeaderValue(4, 9);
        using var range = await client.SendAsync(rangeRequest);
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(second[4..10], await range.Content.ReadAsByteArrayAsync());
        using var full = await client.GetAsync($"/assets/{ids[1]}");
        Assert.Equal(second, await full.Content.ReadAsByteArrayAsync());
        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/assets/{ids[1]}");
        conditional.Headers.IfNoneMatch.Add(Assert.IsType<EntityTagHeaderValue>(full.Headers.ETag));
        using var notModified = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Upload_severalFiles_fieldsBeforeEachFileApplyToIt()
    {
        var first = Encoding.UTF8.GetBytes("first file");
        var second = new byte[10_000]; // larger than MAX_PAYLOAD_SIZE: uploads are bound by MAX_FILE_SIZE only
        Random.Shared.NextBytes(second);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("First"), "title");
        form.Add(new StringContent("about the first"), "description");
        form.Add(File(first, "text/plain"), "file", "one.txt");
        form.Add(new StringContent("Second"), "title");
        form.Add(File(second, null), "file", "two_parts.csv");
        form.Add(new StringContent("ignored"), "description");

        var (status, body) = await PostAsync(server.Client(), form);

        Assert.Equal(HttpStatusCode.OK, status);
        var rows = body.GetProperty("data");
        Assert.Equal(2, rows.GetArrayLength());
        Assert.Equal("First", rows[0].GetProperty("title").GetString());
        Assert.Equal("about the first", rows[0].GetProperty("description").GetString());
        Assert.Equal("Second", rows[1].GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("description").ValueKind);
        Assert.Equal("text/csv", rows[1].GetProperty("type").GetString()); // no part type: from the extension
        Assert.Equal(second.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), rows[1].GetProperty("filesize").GetString());
        Assert.Equal(first, await StoredBytesAsync(rows[0]));
        Assert.Equal(second, await StoredBytesAsync(rows[1]));
    }

    [Fact]
    public async Task Upload_withoutTitle_titleFromFileName()
    {
        using var form = new MultipartFormDataContent();
        form.Add(File("x"u8.ToArray(), "text/plain"), "file", "quarterly-report_final.txt");

        var (_, body) = await PostAsync(server.Client(), form);

        Assert.Equal("Quarterly Report Final", body.GetProperty("data").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Upload_png_widthAndHeight()
    {
        using var form = new MultipartFormDataContent();
        form.Add(File(Png(5, 7), "image/png"), "file", "pixel.png");

        var (status, body) = await PostAsync(server.Client(), form);

        Assert.Equal(HttpStatusCode.OK, status);
        var row = body.GetProperty("data");
        Assert.Equal(5, row.GetProperty("width").GetInt32());
        Assert.Equal(7, row.GetProperty("height").GetInt32());
        Assert.EndsWith(".png", row.GetProperty("filename_disk").GetString());
    }

    [Fact]
    public async Task Upload_pathInFileName_neverBecomesAPath()
    {
        using var form = new MultipartFormDataContent();
        form.Add(File("escape"u8.ToArray(), "text/plain"), "file", "../../escaped.txt");

        var (status, body) = await PostAsync(server.Client(), form);

        Assert.Equal(HttpStatusCode.OK, status);
        var row = body.GetProperty("data");
        var id = row.GetProperty("id").GetString();
        Assert.Equal($"{id}.txt", row.GetProperty("filename_disk").GetString());
        Assert.Equal("escaped.txt", row.GetProperty("filename_download").GetString());
        Assert.True(System.IO.File.Exists(Path.Combine(server.StorageRoot, $"{id}.txt")));
        Assert.False(System.IO.File.Exists(Path.GetFullPath(Path.Combine(server.StorageRoot, "..", "..", "escaped.txt"))));
        Assert.False(System.IO.File.Exists(Path.GetFullPath(Path.Combine(server.StorageRoot, "..", "escaped.txt"))));
    }

    [Fact]
    public async Task Upload_overMaxFileSize_413_noRowNoBytes()
    {
        var before = StoredNames();
        using var form = new MultipartFormDataContent();
        form.Add(File("small"u8.ToArray(), "text/plain"), "file", "fits_before_the_big_one.txt");
        form.Add(File(new byte[70 * 1024], "application/octet-stream"), "file", "too_big.bin");

        var (status, body) = await PostAsync(server.Client(), form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("CONTENT_TOO_LARGE", Code(body));
        Assert.Equal(0, (await FilesNamedAsync("too_big.bin")).GetArrayLength());
        Assert.Equal(0, (await FilesNamedAsync("fits_before_the_big_one.txt")).GetArrayLength());
        Assert.Equal(before, StoredNames());
    }

    [Fact]
    public async Task Upload_malformedMultipart_400InvalidPayload()
    {
        const string text = "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.txt\"\r\nContent-Type: text/plain\r\n\r\nno closing boundary";
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=XYZ");

        var (status, body) = await PostAsync(server.Client(), content);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_PAYLOAD", Code(body));
        Assert.Equal(0, (await FilesNamedAsync("cut.txt")).GetArrayLength());
    }

    [Fact]
    public async Task Upload_noFilePart_400InvalidPayload()
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("lonely"), "title");

        var (status, body) = await PostAsync(server.Client(), form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Invalid payload. No files were included in the body.", body.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Upload_public_403Forbidden()
    {
        using var form = new MultipartFormDataContent();
        form.Add(File("x"u8.ToArray(), "text/plain"), "file", "public_attempt.txt");

        var (status, body) = await PostAsync(server.Client(token: null), form);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("FORBIDDEN", Code(body));
        Assert.Equal(0, (await FilesNamedAsync("public_attempt.txt")).GetArrayLength());
    }

    [Fact]
    public async Task Upload_unknownToken_401()
    {
        using var form = new MultipartFormDataContent();
        form.Add(File("x"u8.ToArray(), "text/plain"), "file", "unknown_token.txt");

        var (status, body) = await PostAsync(server.Client("not-a-token"), form);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("INVALID_CREDENTIALS", Code(body));
    }

    [Fact]
    public async Task Patch_json_updatesMetadata()
    {
        var row = await UploadAsync("to_rename.txt");
        using var client = server.Client();
        using var patch = new StringContent("""{"title":"Renamed","description":"changed","tags":["a","b"]}""", Encoding.UTF8, "application/json");

        using var response = await client.PatchAsync($"/files/{row.GetProperty("id").GetString()}", patch);
        var updated = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Renamed", updated.GetProperty("title").GetString());
        Assert.Equal("changed", updated.GetProperty("description").GetString());
        Assert.Equal(row.GetProperty("filename_disk").GetString(), updated.GetProperty("filename_disk").GetString());
    }

    [Fact]
    public async Task Patch_public_403()
    {
        var row = await UploadAsync("public_patch.txt");
        using var client = server.Client(token: null);
        using var patch = new StringContent("""{"title":"Nope"}""", Encoding.UTF8, "application/json");

        using var response = await client.PatchAsync($"/files/{row.GetProperty("id").GetString()}", patch);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Public Patch", (await FilesNamedAsync("public_patch.txt"))[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task Delete_removesRowAndBytes()
    {
        var row = await UploadAsync("to_delete.txt");
        var path = Path.Combine(server.StorageRoot, row.GetProperty("filename_disk").GetString()!);
        Assert.True(System.IO.File.Exists(path));
        using var client = server.Client();

        using var response = await client.DeleteAsync($"/files/{row.GetProperty("id").GetString()}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, (await FilesNamedAsync("to_delete.txt")).GetArrayLength());
        Assert.False(System.IO.File.Exists(path));
    }

    [Fact]
    public async Task Delete_fileOfApprovedVersion_refused_rowAndBytesStay()
    {
        // budget.csv is the primary file of an approved artifact version in the seed.
        const string id = "cccccccc-0000-4000-8000-000000000005";
        var path = Path.Combine(server.StorageRoot, $"{id}.csv");
        if (!System.IO.File.Exists(path))
        {
            Directory.CreateDirectory(server.StorageRoot);
            await System.IO.File.WriteAllTextAsync(path, "budget bytes");
        }

        var bytes = await System.IO.File.ReadAllBytesAsync(path);
        using var client = server.Client();

        using var response = await client.DeleteAsync($"/files/{id}");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("INVALID_FOREIGN_KEY", text);
        Assert.Equal(1, (await FilesNamedAsync("budget.csv")).GetArrayLength());
        Assert.Equal(bytes, await System.IO.File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Delete_public_403_bytesStay()
    {
        var row = await UploadAsync("public_delete.txt");
        using var client = server.Client(token: null);

        using var response = await client.DeleteAsync($"/files/{row.GetProperty("id").GetString()}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(1, (await FilesNamedAsync("public_delete.txt")).GetArrayLength());
        Assert.True(System.IO.File.Exists(Path.Combine(server.StorageRoot, row.GetProperty("filename_disk").GetString()!)));
    }

    private async Task<JsonElement> UploadAsync(string name)
    {
        using var form = new MultipartFormDataContent();
        form.Add(File(Encoding.UTF8.GetBytes(name), "text/plain"), "file", name);
        var (status, body) = await PostAsync(server.Client(), form);
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("data");
    }

    /// <summary>A PNG's signature, header chunk and end chunk (no pixels; the CRC of the header is not computed).</summary>
    internal static byte[] Png(int width, int height)
    {
        var png = new byte[45];
        new byte[] { 0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82 }.CopyTo(png, 33);
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(png, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        png[24] = 8;
        png[25] = 6;
        return png;
    }

    private static ByteArrayContent File(byte[] bytes, string? type)
    {
        var content = new ByteArrayContent(bytes);
        if (type is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        }

        return content;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, HttpContent content)
    {
        using (client)
        {
            using var response = await client.PostAsync("/files", content);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
        }
    }

    private static string? Code(JsonElement body) => body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString();

    private async Task<byte[]> StoredBytesAsync(JsonElement row)
        => await System.IO.File.ReadAllBytesAsync(Path.Combine(server.StorageRoot, row.GetProperty("filename_disk").GetString()!));

    private string[] StoredNames()
        => Directory.Exists(server.StorageRoot) ? Directory.GetFiles(server.StorageRoot).Select(f => Path.GetFileName(f)).Order().ToArray() : [];

    private async Task<JsonElement> FilesNamedAsync(string name)
    {
        using var client = server.Client();
        var answer = await GraphQLAnswer.PostAsync(client, "query($n: String) { files(filter: { filename_download: { _eq: $n } }) { id title } }", new { n = name }, "/graphql/system");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Body.GetProperty("data").GetProperty("files");
    }
}
