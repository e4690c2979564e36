using System.Net;

namespace ArtifactGraph.Tests.Limits;

/// <summary>
/// <c>RATE_LIMITER_*</c> on the real server with its database tokens: a token the server has accepted has a budget of its
/// own; no token, made-up tokens and a token's first request share the client address's budget.
/// </summary>
public sealed class RateLimiterServerTests(RateLimiterServerTests.Server server) : IClassFixture<RateLimiterServerTests.Server>
{
    public sealed class Server() : LimitedServer(new Dictionary<string, string>
    {
        ["RATE_LIMITER_ENABLED"] = "true",
        ["RATE_LIMITER_POINTS"] = "3",
        ["RATE_LIMITER_DURATION"] = "60",
    });

    [Fact]
    public async Task Budgets_perAcceptedTokenElsePerAddress()
    {
        // The editor's first request is counted for the address (1 of 3), the next three for the editor.
        var editor = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            editor.Add(await StatusAsync(LimitedServer.EditorToken));
        }

        var admin = new[] { await StatusAsync(LimitedServer.AdminToken), await StatusAsync(LimitedServer.AdminToken) };
        var madeUp = new[] { await StatusAsync("made-up-1"), await StatusAsync("made-up-2") };
        var anonymous = await StatusAsync(null);
        using var ping = await server.Client(null).GetAsync("/server/ping");
        var adminAgain = await StatusAsync(LimitedServer.AdminToken);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], editor);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], admin);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], madeUp);
        Assert.Equal(HttpStatusCode.TooManyRequests, anonymous);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (ping.StatusCode, adminAgain));
    }

    private async Task<HttpStatusCode> StatusAsync(string? token)
        => (await GraphQLAnswer.PostAsync(server.Client(token), "{ tasks(limit: 1) { id } }")).Status;
}
