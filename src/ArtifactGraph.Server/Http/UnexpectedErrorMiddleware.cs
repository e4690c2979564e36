using ArtifactGraph.Data.Resilience;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// Last line of defence: any exception that escapes a handler becomes a JSON 500 (or the Directus error it is; a
/// database that is away is 503 <c>SERVICE_UNAVAILABLE</c>), logged, never an HTML page or an empty body.
/// </summary>
internal sealed class UnexpectedErrorMiddleware(RequestDelegate next, ILogger<UnexpectedErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception ex)
        {
            var error = ex as DirectusException;
            if (error is null && DatabaseFaults.IsUnavailable(ex))
            {
                // Not a bug: the database is away (restarting, failing over, out of connections); the client may retry.
                logger.LogWarning(ex, "The database cannot be reached for {Method} {Path}", context.Request.Method, context.Request.Path);
                error = DirectusErrors.DatabaseUnavailable();
            }
            else if (error is null)
            {
                logger.LogError(ex, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
            }

            if (context.Response.HasStarted)
            {
                return;
            }

            context.Response.Clear();
            await DirectusErrorResponder.WriteAsync(context, error ?? DirectusErrors.Internal());
        }
    }
}
