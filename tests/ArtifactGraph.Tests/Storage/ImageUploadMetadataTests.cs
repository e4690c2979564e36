using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Storage;

/// <summary>
/// <c>POST /files</c> fills width, height and metadata as Directus 12.4.1 did for the same three uploads (asked of the
/// running Directus): an EXIF JPEG turned by its orientation, the same bytes declared as another type (not read), and an
/// "image" whose bytes are not one (nothing); the row reads back the same through GraphQL on each database.
/// </summary>
public sealed class ImageUploadMetadataTests
{
    private const string Token = "image-upload-admin-token";

    public static TheoryData<DatabaseClient> Databases => new() { DatabaseClient.Sqlite, DatabaseClient.Postgres };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Uploads_get_the_width_height_and_metadata_Directus_gives_them(DatabaseClient client)
    {
        await using var database = await TestDatabase.CreateAsync(client);
        await using var server = await ServerProcess.StartAsync(database, new Dictionary<string, string> { ["ADMIN_TOKEN"] = Token });
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var jpeg = ExifJpeg.Create(16, 8, 6);

        var photo = await UploadAsync(http, jpeg, "image/jpeg", "photo.jpg");
        var undeclared = await UploadAsync(http, jpeg, "application/octet-stream", "photo.bin");
        var fake = await UploadAsync(http, "not really a png"u8.ToArray(), "image/png", "fake.png");

        const string directusPhoto = """{"width":8,"height":16,"metadata":{"ifd0":{"Make":"ArtifactGraph","Model":"Test Camera"},"exif":{"FNumber":2.8,"ExposureTime":0.004,"FocalLength":50,"ISOSpeedRatings":200}}}""";
        const string nothing = """{"width":null,"height":null,"metadata":null}""";
        Assert.Equal(directusPhoto, Pick(photo));
        Assert.Equal(nothing, Pick(undeclared));
        Assert.Equal(nothing, Pick(fake));

        var read = await http.PostAsync("/graphql/system", JsonContent.Create(new { query = $$"""{ files_by_id(id: "{{photo["id"]}}") { width height metadata } }""" }));
        var stored = JsonNode.Parse(await read.Content.ReadAsStringAsync())!["data"]!["files_by_id"];
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(directusPhoto), stored), stored?.ToJsonString());
    }

    private static async Task<JsonObject> UploadAsync(HttpClient http, byte[] bytes, string type, string name)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(type);
        form.Add(file, "file", name);
        using var response = await http.PostAsync("/files", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["data"]!.AsObject();
    }

    private static string Pick(JsonObject row)
        => new JsonObject { ["width"] = row["width"]?.DeepClone(), ["height"] = row["height"]?.DeepClone(), ["metadata"] = row["metadata"]?.DeepClone() }.ToJsonString();
}
