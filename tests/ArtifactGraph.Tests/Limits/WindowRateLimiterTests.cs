using System.Threading.RateLimiting;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Http;
using Microsoft.AspNetCore.Http;

namespace ArtifactGraph.Tests.Limits;

/// <summary>The rate limiter's parts: one caller's window, the message's duration format and whose budget a request uses.</summary>
public sealed class WindowRateLimiterTests
{
    [Fact]
    public void Window_pointsUsed_refusedWithTheTimeLeft_thenANewWindowFromTheNextRequest()
    {
        var clock = new ManualClock();
        using var limiter = new WindowRateLimiter(2, TimeSpan.FromSeconds(10), clock);

        Assert.True(limiter.AttemptAcquire().IsAcquired);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        clock.Advance(TimeSpan.FromSeconds(2));
        using var refused = limiter.AttemptAcquire();
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(4), retryAfter);
        Assert.Null(limiter.IdleDuration);

        clock.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.FromSeconds(3), limiter.IdleDuration);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.False(limiter.AttemptAcquire().IsAcquired);
    }

    [Theory]
    [InlineData(0, "0ms")]
    [InlineData(437, "437ms")]
    [InlineData(999, "999ms")]
    [InlineData(1_000, "1s")]
    [InlineData(1_499, "1s")]
    [InlineData(1_500, "2s")]
    [InlineData(30_000, "30s")]
    [InlineData(59_999, "60s")]
    [InlineData(90_000, "2m")]
    [InlineData(3_600_000, "1h")]
    [InlineData(172_800_000, "2d")]
    public void ShortDuration_asTheMsPackage(long milliseconds, string text)
        => Assert.Equal(text, DirectusErrors.ShortDuration(milliseconds));

    [Fact]
    public void RequestsExceeded_DirectusMessageAndExtensions()
    {
        var error = DirectusErrors.RequestsExceeded(50, TimeSpan.FromMilliseconds(436.2), new DateTimeOffset(2024, 5, 31, 14, 45, 0, TimeSpan.Zero));

        Assert.Equal(("REQUESTS_EXCEEDED", 429, "Too many requests, retry after 437ms."), (error.Code, error.HttpStatus, error.Message));
        Assert.Equal([new("limit", 50), new("reset", "2024-05-31T14:45:00.437Z")], error.Extensions.ToList());
    }

    [Theory]
    [InlineData("Bearer known", null, "user:0a000000-0000-4000-8000-000000000001")]
    [InlineData(null, "known", "user:0a000000-0000-4000-8000-000000000001")]
    [InlineData("Bearer unknown", null, "ip:10.1.2.3")]
    [InlineData(null, null, "ip:10.1.2.3")]
    [InlineData("Bearer known", "known", "ip:10.1.2.3")]
    public void Caller_acceptedTokenPerUser_elsePerAddress(string? authorization, string? accessToken, string caller)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("10.1.2.3");
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        if (accessToken is not null)
        {
            context.Request.QueryString = new QueryString("?access_token=" + accessToken);
        }

        Assert.Equal(caller, RequestRateLimiter.Caller(context, new OneKnownToken()));
    }

    private sealed class OneKnownToken : ITokenAuthenticator
    {
        public ValueTask<Accountability?> AuthenticateAsync(string token, CancellationToken cancellationToken) => new((Accountability?)null);

        public Guid? KnownUser(string token) => token == "known" ? Guid.Parse("0a000000-0000-4000-8000-000000000001") : null;
    }

    private sealed class ManualClock : TimeProvider
    {
        private long ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => ticks;

        public void Advance(TimeSpan by) => ticks += by.Ticks;
    }
}
