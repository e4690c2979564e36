using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Server.Http.Ide;
using ArtifactGraph.Server.Http.Logging;
using ArtifactGraph.Server.Telemetry;
using GraphQL;
using GraphQL.Validation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ArtifactGraph.Server.Http;

/// <summary>Registration of the GraphQL-over-HTTP transport: one call for services, one for the routes.</summary>
public static class ArtifactGraphEndpoints
{
    public static IServiceCollection AddArtifactGraphTransport(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new ServerSettings());
        services.TryAddSingleton<IDocumentExecuter, DirectusDocumentExecuter>();
        services.TryAddSingleton<IDocumentValidator, DocumentValidator>();
        services.TryAddSingleton<ITokenAuthenticator, DbTokenAuthenticator>();
        services.TryAddSingleton<ClientAddress>();
        services.TryAddSingleton<RequestAuthenticator>();
        services.TryAddSingleton<GraphQLExecutionService>();
        services.TryAddSingleton<GraphQLEndpointHandler>();
        services.TryAddSingleton<Caching.ResponseCache>();
        services.TryAddSingleton<IdeFiles>();
        services.TryAddScoped<RequestLogEntry>();
        services.AddMetrics();
        services.TryAddSingleton<ArtifactGraphMetrics>();
        services.TryAddSingleton<GraphQLIde>();
        services.AddCors();
        services.AddArtifactGraphRateLimiter();
        return services;
    }

    public static WebApplication MapArtifactGraphEndpoints(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<ServerSettings>();
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseArtifactGraphCors(settings.Cors);

        // Routing runs inside the error middleware, so even a routing failure gets a JSON answer.
        app.UseMiddleware<UnexpectedErrorMiddleware>();
        app.UseRouting();
        app.UseArtifactGraphTelemetry(settings);
        app.UseArtifactGraphRateLimiter(settings.RateLimiter);

        // GraphQL subscriptions over WebSocket (WEBSOCKETS_ENABLED): the upgrade of WEBSOCKETS_GRAPHQL_PATH, items scope as in Directus.
        var sockets = settings.WebSockets;
        if (sockets.ServesGraphQL)
        {
            app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
            if (sockets.GraphQLPath != "/graphql")
            {
                app.Map(sockets.GraphQLPath, (HttpContext context, Subscriptions.GraphQLWebSocket socket) => context.WebSockets.IsWebSocketRequest
                    ? socket.HandleAsync(context, GraphQLScope.Items)
                    : DirectusErrorResponder.WriteAsync(context, DirectusErrors.RouteNotFound(context.Request.Path)));
            }
        }

        // "/graphql" also matches "/graphql/".
        app.Map("/graphql", (HttpContext context, GraphQLEndpointHandler handler, Subscriptions.GraphQLWebSocket socket)
            => sockets.ServesGraphQL && sockets.GraphQLPath == "/graphql" && context.WebSockets.IsWebSocketRequest
                ? socket.HandleAsync(context, GraphQLScope.Items)
                : handler.HandleAsync(context, GraphQLScope.Items));

        app.Map("/graphql/system", (HttpContext context, GraphQLEndpointHandler handler) => handler.HandleAsync(context, GraphQLScope.System));
        GraphQLIde.Map(app);
        ServerEndpoints.Map(app);
        AssetEndpoints.Map(app);
        FileEndpoints.Map(app);
        Rest.ItemsEndpoints.Map(app);

        // Directus answers unknown routes with a JSON 404; clients such as n8n pass an empty body on silently.
        app.MapFallback("{**path}", (HttpContext context) => DirectusErrorResponder.WriteAsync(context, DirectusErrors.RouteNotFound(context.Request.Path)));
        return app;
    }
}
