using System.Net;
using System.Text;
using System.Text.Json;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Storage;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Storage;

/// <summary>s3rver on loopback, and the server with <c>STORAGE_LOCATIONS=s3,local</c>, the <c>s3</c> location on it.</summary>
public sealed class S3LocationServer : IAsyncLifetime
{
    private readonly S3rverProcess s3rver = new();
    private Inner? server;

    public ServerFixture Server => server ?? throw new InvalidOperationException("The server has not started.");

    public S3FileStorage Bucket() => new(new StorageLocation
    {
        Name = "s3", Driver = StorageDriver.S3, Key = "S3RVER", Secret = "S3RVER", Bucket = S3rverProcess.Bucket,
        Endpoint = s3rver.Endpoint, ForcePathStyle = true,
    });

    public async Task InitializeAsync()
    {
        await s3rver.InitializeAsync();
        server = new Inner(new Dictionary<string, string>
        {
            ["STORAGE_LOCATIONS"] = "s3,local",
            ["STORAGE_S3_DRIVER"] = "s3",
            ["STORAGE_S3_KEY"] = "S3RVER",
            ["STORAGE_S3_SECRET"] = "S3RVER",
            ["STORAGE_S3_BUCKET"] = S3rverProcess.Bucket,
            ["STORAGE_S3_ENDPOINT"] = s3rver.Endpoint,
            ["STORAGE_S3_FORCE_PATH_STYLE"] = "true",
        });
        await server.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        await s3rver.DisposeAsync();
    }

    private sealed class Inner(IReadOnlyDictionary<string, string> environment) : ServerFixture(environment);
}

/// <summary>Uploads go to the first location; assets and deletes follow each row's <c>storage</c>.</summary>
public sealed class S3LocationServerTests(S3LocationServer fixture) : IClassFixture<S3LocationServer>
{
    [Fact]
    public async Task Upload_toTheFirstLocation_isServedAndDeletedThere()
    {
        var bytes = Encoding.UTF8.GetBytes("kept in the bucket");
        var row = await UploadAsync(bytes, storage: null);
        var id = row.GetProperty("id").GetString();
        var key = row.GetProperty("filename_disk").GetString()!;

        Assert.Equal("s3", row.GetProperty("storage").GetString());
        Assert.False(System.IO.File.Exists(Path.Combine(fixture.Server.StorageRoot, key)));
        using (var bucket = fixture.Bucket())
        {
            await using var stored = await bucket.OpenReadAsync(key, CancellationToken.None);
            Assert.NotNull(stored);
        }

        using var client = fixture.Server.Client();
        Assert.Equal(bytes, await client.GetByteArrayAsync($"/assets/{id}"));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/files/{id}")).StatusCode);
        using (var bucket = fixture.Bucket())
        {
            Assert.Null(await bucket.OpenReadAsync(key, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Upload_ofAnImage_readsItsSizeBackFromS3()
    {
        using var client = fixture.Server.Client();
        using var form = new MultipartFormDataContent();
        var image = new ByteArrayContent(ExifJpeg.Create(16, 8, 6));
        image.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        form.Add(image, "file", "photo.jpg");

        var response = await client.PostAsync("/files", form);
        var row = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data");

        Assert.Equal("s3", row.GetProperty("storage").GetString());
        Assert.Equal((8, 16), (row.GetProperty("width").GetInt32(), row.GetProperty("height").GetInt32()));
        Assert.Equal("Test Camera", row.GetProperty("metadata").GetProperty("ifd0").GetProperty("Model").GetString());
    }

    [Fact]
    public async Task Upload_withStorageField_goesToThatLocation()
    {
        var bytes = Encoding.UTF8.GetBytes("kept on disk");
        var row = await UploadAsync(bytes, storage: "local");
        var key = row.GetProperty("filename_disk").GetString()!;

        Assert.Equal("local", row.GetProperty("storage").GetString());
        Assert.Equal(bytes, await System.IO.File.ReadAllBytesAsync(Path.Combine(fixture.Server.StorageRoot, key)));
        using var client = fixture.Server.Client();
        Assert.Equal(bytes, await client.GetByteArrayAsync($"/assets/{row.GetProperty("id").GetString()}"));
    }

    [Fact]
    public async Task Upload_toAnUnknownLocation_isInvalidPayload()
    {
        using var client = fixture.Server.Client();
        using var form = Form([1, 2, 3], "nowhere");

        var response = await client.PostAsync("/files", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Storage \\\"nowhere\\\" doesn't exist", await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> UploadAsync(byte[] bytes, string? storage)
    {
        using var client = fixture.Server.Client();
        using var form = Form(bytes, storage);
        var response = await client.PostAsync("/files", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("data").Clone();
    }

    private static MultipartFormDataContent Form(byte[] bytes, string? storage)
    {
        var form = new MultipartFormDataContent();
        if (storage is not null)
        {
            form.Add(new StringContent(storage), "storage");
        }

        form.Add(new ByteArrayContent(bytes), "file", "note.txt");
        return form;
    }
}
