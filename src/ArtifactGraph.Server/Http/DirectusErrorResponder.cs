using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Http;

/// <summary>REST-format errors (auth, payload, method): the error's status with <c>{"errors":[{message, extensions}]}</c>.</summary>
internal static class DirectusErrorResponder
{
    public static Task WriteAsync(HttpContext context, DirectusException error)
    {
        if (error.Code == "METHOD_NOT_ALLOWED" && error.Extensions.TryGetValue("allowed", out var allowed) && allowed is string[] methods)
        {
            context.Response.Headers.Allow = string.Join(", ", methods);
        }

        if (DirectusErrors.IsDatabaseUnavailable(error))
        {
            context.Response.Headers.RetryAfter = DirectusErrors.DatabaseRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return GraphQLResponseWriter.WriteErrorsAsync(context, error.HttpStatus, [ResponseError.From(error)], context.RequestAborted);
    }
}
