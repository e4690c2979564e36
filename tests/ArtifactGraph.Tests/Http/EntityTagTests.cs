using System.Net;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Http;

/// <summary>
/// Express's weak ETag on a read's answer, as Directus 12.4.1 sent it for the same bytes (recorded on the reference
/// server), and its freshness: If-None-Match naming the tag (weak or strong form, or <c>*</c>) is an empty 304, unless
/// the request says <c>Cache-Control: no-cache</c> or names another tag.
/// </summary>
[Collection(SeededServerCollection.Name)]
public sealed class EntityTagTests(SeededServer server)
{
    private const string Query = "/graphql?query=%7B%20projects(limit%3A1)%20%7B%20id%20%7D%20%7D";

    // Directus 12.4.1's answer to { projects(limit:1) { id } } on the seed, and its ETag.
    private const string DirectusBody = """{"data":{"projects":[{"id":"11111111-1111-4111-8111-111111111111"}]}}""";
    private const string DirectusTag = "W/\"45-hwbQ8QFd+fi+0mFIXPHodnwh7Bo\"";

    [Fact]
    public async Task Get_directusTag_forTheSameBytes()
    {
        using var client = server.Client();
        using var response = await client.GetAsync(Query);

        Assert.Equal(DirectusBody, await response.Content.ReadAsStringAsync());
        Assert.Equal(DirectusTag, response.Headers.ETag?.ToString());
    }

    [Theory]
    [InlineData(DirectusTag, null, HttpStatusCode.NotModified)]
    [InlineData("\"45-hwbQ8QFd+fi+0mFIXPHodnwh7Bo\"", null, HttpStatusCode.NotModified)]
    [InlineData("W/\"1-other\", " + DirectusTag, null, HttpStatusCode.NotModified)]
    [InlineData("*", null, HttpStatusCode.NotModified)]
    [InlineData("W/\"1-other\"", null, HttpStatusCode.OK)]
    [InlineData(DirectusTag, "no-cache", HttpStatusCode.OK)]
    public async Task IfNoneMatch_304WithoutBody_whenItNamesTheAnswer(string ifNoneMatch, string? cacheControl, HttpStatusCode expected)
    {
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, Query);
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        if (cacheControl is not null)
        {
            request.Headers.TryAddWithoutValidation("Cache-Control", cacheControl);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(DirectusTag, response.Headers.ETag?.ToString());
        Assert.Equal(expected == HttpStatusCode.OK ? DirectusBody : "", body);
    }

    [Fact]
    public async Task Post_untagged()
    {
        using var client = server.Client();
        using var response = await client.PostAsync("/graphql", new StringContent("""{"query":"{ projects(limit:1) { id } }"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(DirectusBody, await response.Content.ReadAsStringAsync());
        Assert.Null(response.Headers.ETag);
    }

    [Fact]
    public async Task RestGet_tagged_304()
    {
        using var client = server.Client();
        using var first = await client.GetAsync("/items/tasks?fields=id&limit=2");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items/tasks?fields=id&limit=2");
        request.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.ToString());
        using var second = await client.SendAsync(request);

        Assert.Matches("^W/\"[0-9a-f]+-[A-Za-z0-9+/]{27}\"$", first.Headers.ETag.ToString());
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }
}
