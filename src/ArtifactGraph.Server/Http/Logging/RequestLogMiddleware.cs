using System.Diagnostics;
using System.Globalization;

namespace ArtifactGraph.Server.Http.Logging;

/// <summary>
/// One information line per request, <c>POST /graphql 200 3.1 ms query GetProjects</c>, in place of ASP.NET Core's
/// five (which <see cref="LoggingSetup"/> keeps for <c>LOG_LEVEL=debug</c>). The path is logged without its query
/// string, which may hold an <c>access_token</c>.
/// </summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, ILoggerFactory loggers)
{
    public const string Category = "ArtifactGraph.Requests";

    private readonly ILogger logger = loggers.CreateLogger(Category);

    public async Task InvokeAsync(HttpContext context, RequestLogEntry entry)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);
            var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? "aborted" : context.Response.StatusCode.ToString(CultureInfo.InvariantCulture);
            if (entry.Operation is { } operation)
            {
                logger.LogInformation("{Method} {Path} {Status} {Milliseconds} ms {Operation}", context.Request.Method, context.Request.Path.Value, status, milliseconds, operation);
            }
            else
            {
                logger.LogInformation("{Method} {Path} {Status} {Milliseconds} ms", context.Request.Method, context.Request.Path.Value, status, milliseconds);
            }
        }
    }
}
