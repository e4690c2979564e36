using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Assets;

/// <summary>The seed and Fixtures/assets-viewer.json: a viewer who may read one file, and a row whose bytes are missing.</summary>
public sealed class AssetsServer() : ServerFixture(null, "assets-viewer.json")
{
    public const string ViewerToken = "viewer-token";
}

/// <summary><c>GET /assets/:id</c> against the server process over the seed: bytes, headers, conditions, ranges, access.</summary>
public sealed class AssetEndpointTests(AssetsServer server) : IClassFixture<AssetsServer>
{
    private const string Text = "cccccccc-0000-4000-8000-000000000001";
    private const string Png = "cccccccc-0000-4000-8000-000000000003";
    private const string WithoutBytes = "dddddddd-0000-4000-8000-000000000001";

    private static byte[] Upload(string name) => File.ReadAllBytes(Directory.GetFiles(SharedPaths.Uploads, name + ".*").Single());

    [Theory]
    [InlineData(Text, "text/plain", "requirements-v1.txt")]
    [InlineData(Png, "image/png", "architecture.png")]
    public async Task Get_admin_bytesAndHeaders(string id, string type, string name)
    {
        using var response = await server.Client().GetAsync($"/assets/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = Upload(id);
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(expected.Length, response.Content.Headers.ContentLength);
        Assert.Equal($"inline; filename=\"{name}\"", response.Content.Headers.GetValues("Content-Disposition").Single());
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        Assert.NotNull(response.Headers.ETag);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal("private, max-age=2592000", response.Headers.NonValidated["Cache-Control"].ToString());
    }

    [Fact]
    public async Task Get_lastModified_isModifiedOn()
    {
        using var response = await server.Client().GetAsync($"/assets/{Text}");
        Assert.Equal(new DateTimeOffset(2024, 1, 15, 8, 1, 2, TimeSpan.Zero), response.Content.Headers.LastModified);
    }

    [Fact]
    public async Task Get_download_attachment()
    {
        using var response = await server.Client().GetAsync($"/assets/{Text}?download");
        Assert.Equal("attachment; filename=\"requirements-v1.txt\"", response.Content.Headers.GetValues("Content-Disposition").Single());
    }

    [Fact]
    public async Task Get_filenameSegment_namesTheDownloadRfc5987ForNonAscii()
    {
        using var response = await server.Client().GetAsync($"/assets/{Text}/r%C3%A9sum%C3%A9%20v1.txt");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("inline; filename=\"r?sum? v1.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20v1.txt",
            response.Content.Headers.GetValues("Content-Disposition").Single());
        Assert.Equal(Upload(Text), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_idLongerThan36Characters_usesTheFirst36()
    {
        using var response = await server.Client().GetAsync($"/assets/{Text}.txt");
        Assert.Equal(Upload(Text), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_ifNoneMatchCurrentTag_304()
    {
        using var first = await server.Client().GetAsync($"/assets/{Text}");
        using var response = await GetAsync(Text, h => h.IfNoneMatch.Add(first.Headers.ETag!));

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_ifNoneMatchOtherTag_200()
    {
        using var response = await GetAsync(Text, h => h.IfNoneMatch.Add(new EntityTagHeaderValue("\"other\"")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(1, 2, HttpStatusCode.NotModified)]
    [InlineData(5, 0, HttpStatusCode.NotModified)]
    [InlineData(0, 0, HttpStatusCode.OK)]
    public async Task Get_ifModifiedSince_304FromModifiedOn(int minute, int second, HttpStatusCode status)
    {
        using var response = await GetAsync(Text, h => h.IfModifiedSince = new DateTimeOffset(2024, 1, 15, 8, minute, second, TimeSpan.Zero));
        Assert.Equal(status, response.StatusCode);
    }

    [Theory]
    [InlineData("bytes=0-9", 0, 9)]
    [InlineData("bytes=5-", 5, 96)]
    [InlineData("bytes=-10", 87, 96)]
    [InlineData("bytes=90-1000", 90, 96)]
    [InlineData("bytes=-1000", 0, 96)]
    public async Task Get_range_206(string range, int first, int last)
    {
        using var response = await GetAsync(Png, h => h.TryAddWithoutValidation("Range", range));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        var bytes = Upload(Png);
        Assert.Equal(97, bytes.Length);
        Assert.Equal($"bytes {first}-{last}/97", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(last - first + 1, response.Content.Headers.ContentLength);
        Assert.Equal(bytes[first..(last + 1)], await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=97-", "97-")]
    [InlineData("bytes=10-5", "10-5")]
    [InlineData("bytes=3-3", "3-3")]
    [InlineData("bytes=-0", "-0")]
    [InlineData("bytes=-", "-")]
    public async Task Get_unsatisfiableRange_416(string range, string shown)
    {
        using var response = await GetAsync(Png, h => h.TryAddWithoutValidation("Range", range));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal("RANGE_NOT_SATISFIABLE", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal($"Range \"{shown}\" is invalid or the file's size doesn't match the requested range.", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Head_headersWithoutBody()
    {
        using var response = await server.Client().SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/assets/{Text}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(33, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("eeeeeeee-0000-4000-8000-000000000001")]
    [InlineData(WithoutBytes)]
    public async Task Get_badIdUnknownRowOrMissingBytes_403(string id)
    {
        using var response = await server.Client().GetAsync($"/assets/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("FORBIDDEN", (await ErrorAsync(response, body))["extensions"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain("/", body.Replace("\\/", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_badToken_401()
    {
        using var response = await server.Client("no-such-token").GetAsync($"/assets/{Text}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("INVALID_CREDENTIALS", (await ErrorAsync(response))["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_public_403()
    {
        using var response = await server.Client(null).GetAsync($"/assets/{Text}");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Get_accessTokenQuery_bytes()
    {
        using var response = await server.Client(null).GetAsync($"/assets/{Text}?access_token={ServerFixture.AdminToken}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Upload(Text), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_viewer_onlyTheRowItsPermissionAllows()
    {
        using var client = server.Client(AssetsServer.ViewerToken);
        using var allowed = await client.GetAsync($"/assets/{Text}");
        using var other = await client.GetAsync($"/assets/{Png}");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(Upload(Text), await allowed.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task Get_transformationParameters_ignored()
    {
        using var response = await server.Client().GetAsync($"/assets/{Png}?width=10&height=10&fit=cover");
        Assert.Equal(Upload(Png), await response.Content.ReadAsByteArrayAsync());
    }

    private async Task<HttpResponseMessage> GetAsync(string id, Action<HttpRequestHeaders> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/assets/{id}");
        headers(request.Headers);
        using var client = server.Client();
        return await client.SendAsync(request);
    }

    private static async Task<JsonNode> ErrorAsync(HttpResponseMessage response, string? body = null)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var json = JsonNode.Parse(body ?? await response.Content.ReadAsStringAsync())!;
        return json["errors"]!.AsArray().Single()!;
    }
}
