using ArtifactGraph.Data.Diagnostics;

namespace ArtifactGraph.Server.Telemetry;

/// <summary>Records how many SQL statements each request sent (the server's <see cref="StatementCounter"/>, per request flow).</summary>
internal sealed class StatementsPerRequestMiddleware(RequestDelegate next, ArtifactGraphMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var scope = StatementCounter.BeginScope();
        try
        {
            await next(context);
        }
        finally
        {
            metrics.Statements(scope.Value, (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText);
        }
    }
}
