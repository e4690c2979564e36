using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Http;
using Microsoft.AspNetCore.RateLimiting;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ArtifactGraph.Server.Telemetry;

/// <summary>
/// Metrics and traces for operators, on OpenTelemetry: Directus's <c>METRICS_ENABLED</c> serves Prometheus's text format at
/// <c>GET /metrics</c> (to <c>Authorization: Metrics &lt;token&gt;</c> with a token of <c>METRICS_TOKENS</c>, and to
/// administrators); <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> exports traces (ASP.NET Core, Npgsql) and the same metrics over OTLP.
/// With neither set, no OpenTelemetry pipeline runs.
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddArtifactGraphTelemetry(this IServiceCollection services, ServerSettings settings)
    {
        var otlp = !string.IsNullOrEmpty(settings.OtlpEndpoint);
        if (!settings.MetricsEnabled && !otlp)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("artifactgraph"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddMeter(ArtifactGraphMetrics.MeterName, "Npgsql");
                if (settings.MetricsEnabled)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddNpgsql().AddOtlpExporter());
        }

        return services;
    }

    /// <summary>Counts statements per request and reports the caches (when anything listens), and maps <c>/metrics</c> (when enabled).</summary>
    public static void UseArtifactGraphTelemetry(this WebApplication app, ServerSettings settings)
    {
        if (settings.MetricsEnabled || !string.IsNullOrEmpty(settings.OtlpEndpoint))
        {
            app.UseMiddleware<StatementsPerRequestMiddleware>();
            app.Services.GetRequiredService<ArtifactGraphMetrics>().ObserveCaches(CacheCounts.Sources(app.Services));
        }

        if (settings.MetricsEnabled)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, branch => branch.Use(AuthorizeScrape), optionsName: null)
                .DisableRateLimiting();
        }
    }

    /// <summary>Directus's rule for its metrics: a <c>Metrics</c> token of <c>METRICS_TOKENS</c>, else an administrator.</summary>
    private static async Task AuthorizeScrape(HttpContext context, RequestDelegate next)
    {
        var settings = context.RequestServices.GetRequiredService<ServerSettings>();
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Metrics ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Metrics ".Length..].Trim();
            if (token.Length > 0 && settings.MetricsTokens.Contains(token, StringComparer.Ordinal))
            {
                await next(context);
                return;
            }

            await DirectusErrorResponder.WriteAsync(context, DirectusException.InvalidCredentials());
            return;
        }

        try
        {
            var caller = await context.RequestServices.GetRequiredService<RequestAuthenticator>().AuthenticateAsync(context.Request, context.RequestAborted);
            if (caller.IsAdmin)
            {
                await next(context);
                return;
            }

            await DirectusErrorResponder.WriteAsync(context, DirectusException.Forbidden());
        }
        catch (DirectusException ex)
        {
            await DirectusErrorResponder.WriteAsync(context, ex);
        }
    }
}
