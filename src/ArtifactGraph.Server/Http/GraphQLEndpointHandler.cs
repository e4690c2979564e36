using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.GraphQL;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// <c>/graphql</c> and <c>/graphql/system</c>, in Directus's order: body parsing, authentication, method check,
/// request parsing, then execution. Every answer is a JSON body.
/// </summary>
public sealed class GraphQLEndpointHandler(
    RequestAuthenticator authenticator,
    GraphQLExecutionService execution,
    ServerSettings settings)
{
    public async Task HandleAsync(HttpContext context, GraphQLScope scope)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var isGet = HttpMethods.IsGet(request.Method);
        var isPost = HttpMethods.IsPost(request.Method);
        try
        {
            byte[] body = [];
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
            var outcome = await execution.ExecuteAsync(graphQLRequest, scope, accountability, isGet, context.RequestServices, ifMatch, cancellationToken);
            var errors = outcome.Result is { } result
                ? (result.Errors ?? []).Select(e => ExecutionErrorShaper.Shape(e, accountability)).ToList()
                : outcome.RequestErrors.Select(e => ExecutionErrorShaper.Shape(e, accountability)).ToList();
            await GraphQLResponseWriter.WriteAsync(context, 200, errors, outcome.Result, cancellationToken);
        }
        catch (GraphQLValidationException ex)
        {
            await GraphQLResponseWriter.WriteValidationAsync(context, ex.Errors, cancellationToken);
        }
        catch (DirectusException ex)
        {
            await DirectusErrorResponder.WriteAsync(context, ex);
        }
    }
}
