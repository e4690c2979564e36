using ArtifactGraph.Server.Configuration;
using Microsoft.AspNetCore.Cors.Infrastructure;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// Directus's CORS middleware (expressjs/cors with the <c>CORS_*</c> settings) on ASP.NET Core's: one policy for every
/// route, ahead of everything else, so preflights of <c>/graphql</c>, <c>/graphql/system</c>, <c>/files</c> and
/// <c>/assets</c> are answered alike and even error answers carry the headers.
/// </summary>
internal static class CorsSetup
{
    public static void UseArtifactGraphCors(this IApplicationBuilder app, CorsSettings settings)
    {
        if (settings.Enabled)
        {
            app.UseCors(policy => Configure(policy, settings));
        }
    }

    internal static void Configure(CorsPolicyBuilder policy, CorsSettings settings)
    {
        // ASP.NET Core refuses "*" together with credentials (browsers would too); answer with the caller's origin then.
        if (settings.Origin.Kind == CorsOriginKind.Any && !settings.Credentials)
        {
            policy.AllowAnyOrigin();
        }
        else
        {
            policy.SetIsOriginAllowed(settings.Origin.Allows);
        }

        policy.WithMethods([.. settings.Methods]);
        if (settings.AllowedHeaders.Contains("*"))
        {
            policy.AllowAnyHeader();
        }
        else
        {
            policy.WithHeaders([.. settings.AllowedHeaders]);
        }

        policy.WithExposedHeaders([.. settings.ExposedHeaders]);
        if (settings.Credentials)
        {
            policy.AllowCredentials();
        }

        if (settings.MaxAge is { } seconds)
        {
            policy.SetPreflightMaxAge(TimeSpan.FromSeconds(seconds));
        }
    }
}
