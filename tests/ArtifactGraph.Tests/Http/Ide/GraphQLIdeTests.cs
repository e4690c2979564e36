using System.Net;
using System.Text.Json;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Http.Ide;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactGraph.Tests.Http.Ide;

/// <summary>How the server hands Banana Cake Pop to browsers, over a stand-in for the npm package's files.</summary>
public sealed class GraphQLIdeTests : IClassFixture<TransportFactory>, IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ag-ide-").FullName;
    private readonly TransportFactory factory;

    public GraphQLIdeTests(TransportFactory factory)
    {
        this.factory = factory;
        Directory.CreateDirectory(Path.Combine(root, "static", "js"));
        File.WriteAllText(Path.Combine(root, "index.html"), "<!doctype html><title>Banana Cake Pop</title>");
        File.WriteAllText(Path.Combine(root, "LICENSE"), "ChilliCream License 1.0");
        File.WriteAllText(Path.Combine(root, "manifest.webmanifest"), "{}");
        File.WriteAllText(Path.Combine(root, "static", "js", "main.0349187e.js"), "console.log(1)");
    }

    [Theory]
    [InlineData("/graphql", "/graphql/ui/")]
    [InlineData("/graphql/", "/graphql/ui/")]
    [InlineData("/graphql/system", "/graphql/system/ui/")]
    [InlineData("/graphql?access_token=t", "/graphql/ui/?access_token=t")]
    public async Task BrowserOpensEndpoint_redirectedToIde(string path, string location)
    {
        await using var app = Ide();
        using var response = await Browser(app).GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/graphql?query=%7B%20hello%20%7D", """{"data":{"hello":"world"}}""")]
    [InlineData("/graphql?sdl", "type Query {")]
    public async Task BrowserWithQueryOrSdl_answeredByTheApi(string path, string expected)
    {
        await using var app = Ide();
        var client = Browser(app);
        client.DefaultRequestHeaders.Authorization = new("Bearer", FakeTokenAuthenticator.AdminToken);

        Assert.Contains(expected, await client.GetStringAsync(path));
    }

    [Fact]
    public async Task IdeDirectory_withoutSlash_permanentRedirectKeepingQuery()
    {
        await using var app = Ide();
        using var response = await Browser(app).GetAsync("/graphql/ui?x=1");

        Assert.Equal((HttpStatusCode.MovedPermanently, "/graphql/ui/?x=1"), (response.StatusCode, response.Headers.Location!.OriginalString));
    }

    [Fact]
    public async Task IdeDirectory_servesIndexRevalidated()
    {
        await using var app = Ide();
        using var response = await Browser(app).GetAsync("/graphql/ui/");

        Assert.Equal((HttpStatusCode.OK, "text/html", "no-cache"),
            (response.StatusCode, response.Content.Headers.ContentType!.MediaType, response.Headers.CacheControl!.ToString()));
        Assert.Contains("Banana Cake Pop", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/graphql/ui/bcp-config.json", "ArtifactGraph")]
    [InlineData("/graphql/system/ui/bcp-config.json", "ArtifactGraph (system)")]
    public async Task Config_pointsOneLevelUpWithTelemetryOff(string path, string title)
    {
        await using var app = Ide();
        using var config = JsonDocument.Parse(await app.CreateClient().GetStringAsync(path));

        Assert.Equal(
            $$"""{"useBrowserUrlAsEndpoint":true,"endpoint":"..","title":"{{title}}","disableTelemetry":true}""",
            config.RootElement.GetRawText());
    }

    [Theory]
    [InlineData("/graphql/ui/static/js/main.0349187e.js", "text/javascript", "public, max-age=31536000, immutable")]
    [InlineData("/graphql/ui/manifest.webmanifest", "application/manifest+json", "no-cache")]
    [InlineData("/graphql/system/ui/LICENSE", "text/plain", "no-cache")]
    public async Task Files_servedWithTypeAndCaching(string path, string mediaType, string cacheControl)
    {
        await using var app = Ide();
        using var response = await app.CreateClient().GetAsync(path);

        Assert.Equal((HttpStatusCode.OK, mediaType, cacheControl),
            (response.StatusCode, response.Content.Headers.ContentType!.MediaType, response.Headers.CacheControl!.ToString()));
        Assert.NotNull(response.Headers.ETag);
    }

    [Theory]
    [InlineData("/graphql/ui/nope.js")]
    [InlineData("/graphql/ui/%2E%2E/%2E%2E/secret.txt")]
    public async Task Files_unknownOrOutside_jsonNotFound(string path)
    {
        await using var app = Ide();
        using var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("ROUTE_NOT_FOUND", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task IdeNotBuilt_pageSaysHowToGetIt()
    {
        await using var app = Ide(Path.Combine(root, "missing"));
        var page = await Browser(app).GetStringAsync("/graphql");

        Assert.Contains("built without it", page);
        Assert.Contains("npm ci", page);
        Assert.Contains("http://localhost/graphql", page);
    }

    [Fact]
    public async Task IdeOff_browserGetsTheApiAnswerAndNoIde()
    {
        await using var app = factory.With(new ServerSettings { GraphQLIde = false }, s => s.AddSingleton(new IdeFiles(root)));
        var client = Browser(app);

        using var endpoint = await client.GetAsync("/graphql");
        using var ide = await client.GetAsync("/graphql/ui/");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.NotFound), (endpoint.StatusCode, ide.StatusCode));
        Assert.Contains("Must provide query string", await endpoint.Content.ReadAsStringAsync());
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private WebApplicationFactory<Program> Ide(string? files = null)
        => factory.With(new ServerSettings(), s => s.AddSingleton(new IdeFiles(files ?? root)));

    /// <summary>A client that sends what a browser's address bar sends, and does not follow redirects.</summary>
    private static HttpClient Browser(WebApplicationFactory<Program> app)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return client;
    }
}
