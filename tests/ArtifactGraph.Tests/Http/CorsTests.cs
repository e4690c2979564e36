using System.Net;
using System.Net.Http.Headers;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Tests.Configuration;

namespace ArtifactGraph.Tests.Http;

/// <summary>Directus's CORS settings on every route, for browser clients such as the hosted Banana Cake Pop.</summary>
public sealed class CorsTests(TransportFactory factory) : IClassFixture<TransportFactory>
{
    private const string Ide = "https://eat.bananacakepop.com";

    private static ServerSettings Cors(string origin, bool credentials = true) => new()
    {
        Cors = new CorsSettings { Enabled = true, Origin = SettingsOrigin(origin), Credentials = credentials },
    };

    [Theory]
    [InlineData("/graphql")]
    [InlineData("/graphql/system")]
    [InlineData("/files")]
    [InlineData("/assets/cccccccc-0000-4000-8000-000000000001")]
    public async Task Preflight_enabledAnyOrigin_answeredWithDirectusDefaults(string path)
    {
        await using var app = factory.With(Cors("true"));
        using var response = await app.CreateClient().SendAsync(Preflight(path, Ide, "content-type,authorization,user-agent,if-match"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Ide, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Header(response, "Access-Control-Allow-Credentials"));
        Assert.Equal("GET,POST,PATCH,DELETE", Header(response, "Access-Control-Allow-Methods"));
        Assert.Equal("Content-Type,Authorization,User-Agent,If-Match", Header(response, "Access-Control-Allow-Headers"));
        Assert.Equal("18000", Header(response, "Access-Control-Max-Age"));
    }

    [Fact]
    public async Task Request_allowedOrigin_headersOnAnswersAndErrors()
    {
        await using var app = factory.With(Cors("https://app.example.com,https://eat.bananacakepop.com"));
        var client = app.CreateClient();

        using var ok = await client.SendAsync(Post(Ide, FakeTokenAuthenticator.AdminToken));
        using var unauthorized = await client.SendAsync(Post(Ide, "wrong"));

        Assert.Equal((HttpStatusCode.OK, Ide, "Content-Range"),
            (ok.StatusCode, Header(ok, "Access-Control-Allow-Origin"), Header(ok, "Access-Control-Expose-Headers")));
        Assert.Equal((HttpStatusCode.Unauthorized, Ide), (unauthorized.StatusCode, Header(unauthorized, "Access-Control-Allow-Origin")));
        Assert.Contains("Origin", ok.Headers.Vary);
    }

    [Fact]
    public async Task Request_originNotListed_noAllowOrigin()
    {
        await using var app = factory.With(Cors(@"regex:^https://[a-z]+\.bananacakepop\.com$"));
        using var response = await app.CreateClient().SendAsync(Preflight("/graphql", "https://evil.example", "content-type"));

        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Request_starWithoutCredentials_star()
    {
        await using var app = factory.With(Cors("*", credentials: false));
        using var response = await app.CreateClient().SendAsync(Post("http://localhost:5173", FakeTokenAuthenticator.AdminToken));

        Assert.Equal(("*", null), (Header(response, "Access-Control-Allow-Origin"), Header(response, "Access-Control-Allow-Credentials")));
    }

    [Fact]
    public async Task Preflight_corsDisabled_methodNotAllowedLikeDirectus()
    {
        using var response = await factory.CreateClient().SendAsync(Preflight("/graphql", Ide, "content-type"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    private static CorsOrigin SettingsOrigin(string value) => EnvironmentSettings.Load(("CORS_ORIGIN", value)).Cors.Origin;

    private static HttpRequestMessage Preflight(string path, string origin, string headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }

    private static HttpRequestMessage Post(string origin, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = TransportFactory.Json("""{"query":"{ hello }"}""") };
        request.Headers.Add("Origin", origin);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
