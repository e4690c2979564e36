using ArtifactGraph.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Server.Http;

/// <summary><c>/server/ping</c> and <c>/server/health</c> (Directus's shape, database check only).</summary>
internal static class ServerEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        // Not rate limited (Directus limits them too): a health probe behind the same address as busy clients would
        // otherwise see 429 and have a healthy server restarted.
        app.MapGet("/server/ping", () => Results.Text("pong", "text/html; charset=utf-8")).DisableRateLimiting();
        app.MapGet("/server/health", HealthAsync).DisableRateLimiting();
    }

    private static async Task HealthAsync(HttpContext context, ILogger<HealthCheck> logger)
    {
        var healthy = false;
        try
        {
            if (context.RequestServices.GetService<IDbContextFactory<ArtifactGraphDbContext>>() is { } contexts)
            {
                await using var db = await contexts.CreateDbContextAsync(context.RequestAborted);
                healthy = await db.Database.CanConnectAsync(context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Health check: the database cannot be reached");
        }

        context.Response.StatusCode = healthy ? 200 : 503;
        context.Response.ContentType = "application/health+json";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(healthy ? """{"status":"ok"}""" : """{"status":"error"}""", context.RequestAborted);
    }

    /// <summary>Log category of the health endpoint.</summary>
    internal sealed class HealthCheck;
}
