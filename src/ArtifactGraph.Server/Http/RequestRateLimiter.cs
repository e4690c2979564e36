using System.Globalization;
using System.Threading.RateLimiting;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Errors;
using Microsoft.AspNetCore.RateLimiting;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// Directus's <c>RATE_LIMITER_*</c> on ASP.NET Core's rate limiting middleware: every route but <c>/server/ping</c> and
/// <c>/server/health</c>, before authentication, counted per caller; over the limit a 429 <c>REQUESTS_EXCEEDED</c> with
/// Directus's message, <c>limit</c>, <c>reset</c> and a <c>Retry-After</c> header. Directus counts per client IP; here a
/// token the server has already accepted is counted per user instead, so clients behind one address (a proxy, an office)
/// each get their own budget. No token, an unknown or invalid one, or a token's very first request count per IP, so that
/// made-up tokens cannot each open a budget of their own.
/// </summary>
internal static class RequestRateLimiter
{
    public static IServiceCollection AddArtifactGraphRateLimiter(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<ServerSettings, ITokenAuthenticator, TimeProvider>((options, settings, tokens, clock) =>
        {
            var limits = settings.RateLimiter;
            var window = TimeSpan.FromSeconds(limits.Duration);
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.Get(Caller(context, tokens), _ => new WindowRateLimiter(limits.Points, window, clock)));
            options.OnRejected = (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var left) ? left : window;
                var response = rejected.HttpContext.Response;
                response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return new ValueTask(DirectusErrorResponder.WriteAsync(rejected.HttpContext,
                    DirectusErrors.RequestsExceeded(limits.Points, retryAfter, clock.GetUtcNow())));
            };
        });
        return services;
    }

    public static void UseArtifactGraphRateLimiter(this IApplicationBuilder app, RateLimiterSettings settings)
    {
        if (settings.Enabled)
        {
            app.UseRateLimiter();
        }
    }

    /// <summary>The partition of a request: <c>user:&lt;id&gt;</c> for a token already accepted, else <c>ip:&lt;address&gt;</c>.</summary>
    internal static string Caller(HttpContext context, ITokenAuthenticator tokens)
    {
        string? token;
        try
        {
            token = RequestAuthenticator.ExtractToken(context.Request);
        }
        catch (DirectusException)
        {
            token = null;
        }

        return token is not null && tokens.KnownUser(token) is { } user
            ? "user:" + user.ToString("D")
            : "ip:" + context.Connection.RemoteIpAddress;
    }
}
