using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Server.Http.Ide;
using ArtifactGraph.Server.Http.Logging;
using ArtifactGraph.Server.Telemetry;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// <c>/graphql</c> and <c>/graphql/system</c>, in Directus's order: body parsing, authentication, method check,
/// request parsing, then execution. Every answer is a JSON body, in the media type the <c>Accept</c> header chose.
/// Before all that, a browser opening the URL is sent to the IDE, and <c>?sdl</c> answers the schema as text.
/// </summary>
public sealed class GraphQLEndpointHandler(
    RequestAuthenticator authenticator,
    GraphQLExecutionService execution,
    IDirectusSchemaProvider schemas,
    GraphQLIde ide,
    Caching.ResponseCache cache,
    ServerSettings settings,
    ArtifactGraphMetrics metrics,
    ILogger<GraphQLEndpointHandler> logger)
{
    public async Task HandleAsync(HttpContext context, GraphQLScope scope)
    {
        var request = context.Request;
        if (ide.IsBrowserNavigation(request))
        {
            await ide.OpenAsync(context, scope);
            return;
        }

        var cancellationToken = context.RequestAborted;
        var isGet = HttpMethods.IsGet(request.Method);
        var isPost = HttpMethods.IsPost(request.Method);
        try
        {
            if (SchemaSdl.IsRequested(request))
            {
                var caller = await authenticator.AuthenticateAsync(request, cancellationToken);
                if (!settings.GraphQLIntrospection && !caller.IsAdmin)
                {
                    await SchemaSdl.WriteRefusalAsync(context);
                    return;
                }

                await SchemaSdl.WriteAsync(context, schemas.GetSchema(scope, caller));
                return;
            }

            var mediaType = ResponseMediaTypes.Negotiate(request.Headers.Accept);
            ResponseMediaTypes.Set(context, mediaType);
            byte[] body = [];
            if (isPost)
            {
                GraphQLRequestReader.CheckContentType(request.ContentType);
            }

            using var json = isPost ? GraphQLRequestReader.ParseJson(request.ContentType,
                body = await RequestBodyReader.ReadAsync(request, settings.MaxPayloadSize, cancellationToken)) : null;
            var accountability = await authenticator.AuthenticateAsync(request, cancellationToken);
            if (!isGet && !isPost)
            {
                throw DirectusException.MethodNotAllowed(request.Method, "GET", "POST");
            }

            var graphQLRequest = isGet
                ? GraphQLRequestReader.FromQueryString(request.Query)
                : GraphQLRequestReader.FromBody(request.ContentType, body, json);
            var ifMatch = request.Headers.IfMatch.Count == 0 ? null : request.Headers.IfMatch.ToString();
            Caching.ResponseCache.Pending? pending = null;
            if (cache.Enabled)
            {
                // Directus keys a GraphQL answer by its query, variables and operation name, whether sent by GET or POST.
                var key = Caching.ResponseCache.Key(
                    accountability, scope == GraphQLScope.System ? "/graphql/system" : "/graphql", mediaType.ToString(), graphQLRequest.Query,
                    graphQLRequest.Variables?.GetRawText(), graphQLRequest.OperationName);
                var (served, begun) = await cache.ServeOrBeginAsync(context, accountability, key);
                if (served)
                {
                    Count(context, null);
                    return;
                }

                pending = begun;
            }

            var written = false;
            try
            {
                await ExecuteAndWriteAsync(context, graphQLRequest, scope, accountability, isGet, ifMatch, mediaType, cancellationToken);
                written = true;
            }
            finally
            {
                if (pending is not null)
                {
                    await pending.CompleteAsync(written);
                }
            }
        }
        catch (GraphQLValidationException ex)
        {
            Count(context, "GRAPHQL_VALIDATION");
            await GraphQLResponseWriter.WriteValidationAsync(context, ex.Errors, cancellationToken);
        }
        catch (DirectusException ex)
        {
            Count(context, ex.Code);
            await DirectusErrorResponder.WriteAsync(context, ex);
        }
    }

    private async Task ExecuteAndWriteAsync(
        HttpContext context, GraphQLRequest graphQLRequest, GraphQLScope scope, Accountability accountability, bool isGet, string? ifMatch,
        ResponseMediaType mediaType, CancellationToken cancellationToken)
    {
        var outcome = await execution.ExecuteAsync(
            graphQLRequest, scope, accountability, isGet, context.RequestServices, ifMatch, cancellationToken, streamable: true);

        // Only a query's answer without errors may be cached (Directus: not a mutation's, nor one with errors).
        if (context.RequestServices.GetService<RequestLogEntry>()?.OperationKind != "query")
        {
            Caching.ResponseCache.Skip(context);
        }

        if (outcome.Streamed is { } streamed)
        {
            Count(context, null);
            await StreamedResponse.WriteAsync(context, streamed, logger);
            return;
        }

        if (outcome.Body is { } direct)
        {
            Count(context, null);
            using (direct)
            {
                await GraphQLResponseWriter.WriteBodyAsync(context, 200, direct, cancellationToken);
            }

            return;
        }

        var errors = outcome.Result is { } result
            ? (result.Errors ?? []).Select(e => ExecutionErrorShaper.Shape(e, accountability)).ToList()
            : outcome.RequestErrors.Select(e => ExecutionErrorShaper.Shape(e, accountability)).ToList();
        if (errors.Count > 0 || outcome.Result?.Executed != true)
        {
            Caching.ResponseCache.Skip(context);
        }

        Count(context, errors.Count == 0 ? null : errors[0].Code);
        await GraphQLResponseWriter.WriteAsync(context, StatusOf(outcome, mediaType), errors, outcome.Result, cancellationToken);
    }

    /// <summary>One GraphQL request answered, by its operation's type and its first error's code.</summary>
    private void Count(HttpContext context, string? code)
        => metrics.GraphQLOperation(context.RequestServices.GetService<RequestLogEntry>()?.OperationKind, code);

    /// <summary>
    /// Directus answers every request that got this far with 200. GraphQL over HTTP (graphql-response+json) keeps 200
    /// for an executed operation, <c>data</c> null included, and wants a 4xx when nothing executed (operation selection
    /// or variable coercion failed), which is 400 here as for parse and validation errors.
    /// </summary>
    private static int StatusOf(GraphQLOutcome outcome, ResponseMediaType mediaType)
        => mediaType == ResponseMediaType.GraphQLResponseJson && outcome.Result?.Executed != true ? 400 : 200;
}
