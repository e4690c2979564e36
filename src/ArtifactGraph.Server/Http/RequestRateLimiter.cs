using System.Globalization;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Telemetry;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// Directus's <c>RATE_LIMITER_*</c>: every route but <c>/server/ping</c> and
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
        services.TryAddSingleton<RedisConnections>();
        services.TryAddSingleton<IRateLimitStore>(provider =>
        {
            var settings = provider.GetRequiredService<ServerSettings>().RateLimiter;
            var clock = provider.GetRequiredService<TimeProvider>();
            var window = TimeSpan.FromSeconds(settings.Duration);
            var memory = new MemoryRateLimitStore(settings.Points, window, clock);
            return settings.Store == "redis" && settings.Redis is { } redis
                ? new RedisRateLimitStore(
                    provider.GetRequiredService<RedisConnections>().For(redis), settings.Points, window, memory, provider.GetRequiredService<ILogger<RedisRateLimitStore>>())
                : memory;
        });
        return services;
    }

    public static void UseArtifactGraphRateLimiter(this IApplicationBuilder app, RateLimiterSettings settings)
    {
        if (settings.Enabled)
        {
            app.UseMiddleware<RateLimitMiddleware>();
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

/// <summary>
/// Counts each request in the caller's window (<see cref="IRateLimitStore"/>) and refuses it over the limit; routes marked
/// <c>DisableRateLimiting()</c> are not counted. Runs after routing, so that it can see that mark.
/// </summary>
internal sealed class RateLimitMiddleware(
    RequestDelegate next, IRateLimitStore store, ITokenAuthenticator tokens, ServerSettings settings, TimeProvider clock, ArtifactGraphMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is null)
        {
            var decision = await store.ConsumeAsync(RequestRateLimiter.Caller(context, tokens), context.RequestAborted);
            if (!decision.Allowed)
            {
                metrics.RateLimitRefused();
                context.Response.Headers.RetryAfter = ((long)Math.Ceiling(decision.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await DirectusErrorResponder.WriteAsync(context, DirectusErrors.RequestsExceeded(settings.RateLimiter.Points, decision.RetryAfter, clock.GetUtcNow()));
                return;
            }
        }

        await next(context);
    }
}
