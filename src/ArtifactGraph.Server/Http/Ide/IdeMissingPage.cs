using System.Net;
using ArtifactGraph.Server.GraphQL;

namespace ArtifactGraph.Server.Http.Ide;

/// <summary>What a browser sees at <c>/graphql</c> when the server was built without npm, so without the IDE's files.</summary>
internal static class IdeMissingPage
{
    public static Task WriteAsync(HttpContext context, GraphQLScope scope)
    {
        var endpoint = WebUtility.HtmlEncode(
            $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{(scope == GraphQLScope.System ? "/graphql/system" : "/graphql")}");
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        return context.Response.WriteAsync($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>ArtifactGraph GraphQL</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem}code{background:#eee;padding:0 .2em}</style></head>
            <body>
            <h1>ArtifactGraph GraphQL</h1>
            <p>This is the GraphQL endpoint <code>{{endpoint}}</code>. Send it queries with <code>POST</code> (JSON body
            <code>{"query": "…"}</code> and <code>Authorization: Bearer &lt;token&gt;</code>).</p>
            <p>The Banana Cake Pop IDE is normally served here, but this server was built without it: the build installs it
            with npm (<code>npm ci</code> in <code>src/ArtifactGraph.Server/ide</code>) and npm was not available.
            Install Node.js with npm and build the server again, or point the Banana Cake Pop app or any GraphQL client at the
            URL above. <code>GRAPHQL_IDE=false</code> turns this page off.</p>
            </body></html>
            """, context.RequestAborted);
    }
}
