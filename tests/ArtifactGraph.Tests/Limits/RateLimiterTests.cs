using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Tests.Http;

namespace ArtifactGraph.Tests.Limits;

/// <summary>
/// <c>RATE_LIMITER_*</c> in process (requests without a token, counted per client address): Directus's 429 with
/// <c>limit</c>, <c>reset</c> and <c>Retry-After</c>, one budget for every route but <c>/server/ping</c> and
/// <c>/server/health</c>, a new window once the old one is over, nothing at all when disabled.
/// </summary>
public sealed partial class RateLimiterTests(TransportFactory factory) : IClassFixture<TransportFactory>
{
    private static ServerSettings Limited(int points, int duration, bool enabled = true)
        => new() { RateLimiter = new RateLimiterSettings { Enabled = enabled, Points = points, Duration = duration } };

    [Fact]
    public async Task Exceeded_429RequestsExceeded_withLimitResetAndRetryAfter()
    {
        await using var app = factory.With(Limited(points: 2, duration: 60));
        using var client = app.CreateClient();
        await GraphQLAnswer.PostAsync(client, "{ hello }");
        await GraphQLAnswer.PostAsync(client, "{ hello }");

        var before = DateTimeOffset.UtcNow;
        var refused = await GraphQLAnswer.PostAsync(client, "{ hello }");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        var match = Refusal().Match(refused.Text);
        Assert.True(match.Success, refused.Text);
        Assert.Matches(@"^([1-9]\d{0,2}ms|[1-5]?\ds|60s|1m)$", match.Groups["after"].Value);
        var reset = DateTimeOffset.Parse(match.Groups["reset"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(reset, before.AddSeconds(-1), before.AddSeconds(61));
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture), 1, 60);
    }

    [Fact]
    public async Task Exceeded_everyRouteRefused_butPingAndHealth()
    {
        await using var app = factory.With(Limited(points: 1, duration: 60));
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await GraphQLAnswer.PostAsync(client, "{ hello }")).Status);

        using var system = await client.GetAsync("/graphql/system?query=%7B%20hello%20%7D");
        using var unknown = await client.GetAsync("/no/such/route");
        using var ping = await client.GetAsync("/server/ping");
        using var health = await client.GetAsync("/server/health");

        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests), (system.StatusCode, unknown.StatusCode));
        Assert.Contains("\"code\":\"REQUESTS_EXCEEDED\"", await unknown.Content.ReadAsStringAsync());
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (ping.StatusCode, health.StatusCode));
    }

    [Fact]
    public async Task WindowOver_servedAgain()
    {
        await using var app = factory.With(Limited(points: 1, duration: 1));
        using var client = app.CreateClient();

        // The window is one second: its one request must be quick on a busy machine, so the server is warmed up by a
        // route that is not counted, and the counted request is a cheap one (an unknown route).
        using (await client.GetAsync("/server/ping"))
        using (await client.GetAsync("/no/such/route"))
        {
        }

        var refused = await GraphQLAnswer.PostAsync(client, "{ hello }");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);

        await Task.Delay(TimeSpan.FromSeconds(int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture)));
        var next = await GraphQLAnswer.PostAsync(client, "{ hello }");

        Assert.Equal("""{"data":{"hello":"world"}}""", next.Text);
    }

    [Fact]
    public async Task Disabled_noLimit()
    {
        await using var app = factory.With(Limited(points: 1, duration: 60, enabled: false));
        using var client = app.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GraphQLAnswer.PostAsync(client, "{ hello }")).Status);
        }
    }

    [GeneratedRegex("""^\{"errors":\[\{"message":"Too many requests, retry after (?<after>\d+m?s|\d+m)\.","extensions":\{"limit":2,"reset":"(?<reset>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)","code":"REQUESTS_EXCEEDED"\}\}\]\}$""")]
    private static partial Regex Refusal();
}
