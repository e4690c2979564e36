using System.Runtime.CompilerServices;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.GraphQL.Validation;
using GraphQL;
using GraphQL.Types;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// <c>GET /graphql?sdl</c> (and <c>/graphql/system?sdl</c>), as HotChocolate offers it: the schema the caller's role
/// sees, as SDL text; the same text as the snapshots in <c>schema/</c> for an administrator.
/// </summary>
internal static class SchemaSdl
{
    // The provider caches one schema per role; print each once.
    private static readonly ConditionalWeakTable<ISchema, string> Printed = [];

    public static bool IsRequested(HttpRequest request)
        => HttpMethods.IsGet(request.Method) && request.Query.ContainsKey("sdl") && !request.Query.ContainsKey("query");

    /// <summary>
    /// <c>GRAPHQL_INTROSPECTION=false</c> for a caller who is not an administrator: the SDL is the <c>__schema</c> by other
    /// means, so it is refused as introspection is (400, <c>GRAPHQL_VALIDATION</c>, graphql-js's message, no location).
    /// </summary>
    public static Task WriteRefusalAsync(HttpContext context)
        => GraphQLResponseWriter.WriteErrorsAsync(context, 400,
            [new ResponseError(ResponseError.ValidationMessage, [
                new("errors", new[] { new { message = NoSchemaIntrospection.Message("__schema") } }),
                new("code", "GRAPHQL_VALIDATION"),
            ])],
            context.RequestAborted);

    public static Task WriteAsync(HttpContext context, ISchema schema)
    {
        var sdl = Printed.GetValue(schema, s =>
        {
            s.Initialize();
            return s.Print();
        });
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        return context.Response.WriteAsync(sdl, context.RequestAborted);
    }
}
