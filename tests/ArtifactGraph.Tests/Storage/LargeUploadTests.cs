using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Storage;

/// <summary>The server with its default settings: no MAX_FILE_SIZE, so no limit on uploads at all.</summary>
public sealed class UnlimitedUploadServer() : ServerFixture;

/// <summary>An upload past Kestrel's default request body limit (30 MB) is stored whole when MAX_FILE_SIZE is unset.</summary>
public sealed class LargeUploadTests(UnlimitedUploadServer server) : IClassFixture<UnlimitedUploadServer>
{
    [Fact]
    public async Task Upload_pastKestrelDefaultLimit_storedWhole()
    {
        var bytes = new byte[31 * 1024 * 1024];
        Random.Shared.NextBytes(bytes);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse("application/octet-stream");
        form.Add(file, "file", "large.bin");
        using var client = server.Client();

        using var response = await client.PostAsync("/files", form);
        var row = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), row.GetProperty("filesize").GetString()); // a bigint: text, as Directus
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(server.StorageRoot, row.GetProperty("filename_disk").GetString()!)));
    }
}
