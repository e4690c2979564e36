using ArtifactGraph.Server.Configuration;
using Microsoft.Extensions.Logging.Console;

namespace ArtifactGraph.Server.Http.Logging;

/// <summary>
/// The server's console log: <c>LOG_LEVEL</c> as the minimum, one line per entry, and at <c>info</c> and above one line
/// per request (<see cref="RequestLogMiddleware"/>) instead of ASP.NET Core's request, routing and SQL statement entries;
/// <c>debug</c> and <c>trace</c> keep all of them. ASP.NET Core's <c>Logging__LogLevel__*</c> settings still win per category.
/// </summary>
public static class LoggingSetup
{
    /// <summary>Categories whose information entries repeat what the request line says (or log every SQL statement).</summary>
    private static readonly string[] Chatty =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Http.Result",
        "Microsoft.AspNetCore.StaticFiles",
        "Microsoft.AspNetCore.Cors",
        "Microsoft.EntityFrameworkCore.Database.Command",
    ];

    public static ILoggingBuilder AddArtifactGraphLogging(this ILoggingBuilder logging, ServerSettings settings, IConfiguration configuration)
    {
        logging.SetMinimumLevel(settings.LogLevel);
        logging.AddSimpleConsole(o => o.SingleLine = true);
        if (settings.LogLevel >= LogLevel.Information)
        {
            foreach (var category in Chatty.Where(c => configuration[$"Logging:LogLevel:{c}"] is null))
            {
                logging.AddFilter(category, LogLevel.Warning);
            }
        }

        return logging;
    }
}
