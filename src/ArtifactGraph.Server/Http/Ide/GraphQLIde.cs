using System.Text.Json;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.GraphQL;

namespace ArtifactGraph.Server.Http.Ide;

/// <summary>
/// Banana Cake Pop for browsers, as HotChocolate's <c>MapBananaCakePop</c> serves it: a browser that opens
/// <c>/graphql</c> (a GET that accepts HTML and carries no <c>query</c>) is sent to <c>/graphql/ui/</c>, where the IDE's
/// files and a generated <c>bcp-config.json</c> point it back at <c>/graphql</c> (<c>/graphql/system/ui/</c> likewise).
/// The IDE lives in its own directory because its service worker answers every page navigation under its directory.
/// </summary>
public sealed class GraphQLIde(ServerSettings settings, IdeFiles files)
{
    public bool Enabled => settings.GraphQLIde;

    public static string MountPath(GraphQLScope scope) => scope == GraphQLScope.System ? "/graphql/system/ui" : "/graphql/ui";

    /// <summary>A page load rather than an API call: GET/HEAD accepting HTML, with neither an operation nor <c>?sdl</c>.</summary>
    public bool IsBrowserNavigation(HttpRequest request)
        => Enabled
            && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && !request.Query.ContainsKey("query") && !request.Query.ContainsKey("documentId") && !SchemaSdl.IsRequested(request)
            && request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>Sends the browser to the IDE (302: the same URL is the API, and the IDE can be switched off), or explains how to get it.</summary>
    public Task OpenAsync(HttpContext context, GraphQLScope scope)
    {
        if (!files.Available)
        {
            return IdeMissingPage.WriteAsync(context, scope);
        }

        context.Response.Redirect($"{context.Request.PathBase}{MountPath(scope)}/{context.Request.QueryString}");
        return Task.CompletedTask;
    }

    public static void Map(WebApplication app)
    {
        if (!app.Services.GetRequiredService<ServerSettings>().GraphQLIde)
        {
            return;
        }

        foreach (var scope in Enum.GetValues<GraphQLScope>())
        {
            app.MapMethods(MountPath(scope) + "/{**file}", [HttpMethods.Get, HttpMethods.Head],
                (HttpContext context, string? file, GraphQLIde ide) => ide.ServeAsync(context, scope, file));
        }
    }

    private Task ServeAsync(HttpContext context, GraphQLScope scope, string? file)
    {
        var path = context.Request.Path.Value ?? "";
        if (string.IsNullOrEmpty(file) && !path.EndsWith('/'))
        {
            // The IDE's assets are relative to its directory, so the directory URL must end in a slash.
            context.Response.Redirect($"{context.Request.PathBase}{path}/{context.Request.QueryString}", permanent: true);
            return Task.CompletedTask;
        }

        if (!files.Available)
        {
            return IdeMissingPage.WriteAsync(context, scope);
        }

        return file switch
        {
            null or "" or "index.html" => files.SendAsync(context, "index.html"),
            "bcp-config.json" => WriteConfigAsync(context, scope),
            _ => files.SendAsync(context, file),
        };
    }

    /// <summary>What HotChocolate's tool options write: the endpoint is the URL one level up, telemetry off.</summary>
    private static Task WriteConfigAsync(HttpContext context, GraphQLScope scope)
    {
        var config = new Dictionary<string, object>
        {
            ["useBrowserUrlAsEndpoint"] = true,
            ["endpoint"] = "..",
            ["title"] = scope == GraphQLScope.System ? "ArtifactGraph (system)" : "ArtifactGraph",
            ["disableTelemetry"] = true,
        };
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        return context.Response.WriteAsync(JsonSerializer.Serialize(config), context.RequestAborted);
    }
}
