using ArtifactGraph.Data.Resilience;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.GraphQL.Validation;
using GraphQL;

namespace ArtifactGraph.Server.Errors;

/// <summary>
/// Directus's <c>processError</c>: Directus errors keep message and extensions; graphql-js request errors show their
/// text to administrators only; a database that is away is <c>SERVICE_UNAVAILABLE</c>; anything else is masked for everyone
/// (its text may hold SQL; it was logged).
/// </summary>
public static class ExecutionErrorShaper
{
    public static ResponseError Shape(ExecutionError error, Accountability accountability)
    {
        var locations = error.Locations?.Select(l => new SourceLocation(l.Line, l.Column)).ToList();
        var path = error.Path?.ToList();
        if (FindDirectusError(error) is { } directus)
        {
            return ResponseError.From(directus, locations, path);
        }

        // A mutation's field that failed because the database went away (a query answers 503 as a whole instead).
        if (DatabaseFaults.IsUnavailable(error))
        {
            return ResponseError.From(DirectusErrors.DatabaseUnavailable(), locations, path);
        }

        return accountability.IsAdmin
            ? ResponseError.Internal(ResponseError.UnexpectedMessage, locations, path)
            : ResponseError.Internal(ResponseError.UnexpectedMessage);
    }

    /// <summary>
    /// graphql-js's request errors (variable values, operation selection). Directus answers them as INTERNAL_SERVER_ERROR;
    /// here they are <c>GRAPHQL_VALIDATION</c>, since a client's mistake is never an internal error. Their text (which may
    /// suggest names) still goes to administrators only.
    /// </summary>
    public static ResponseError Shape(GraphQLJsError error, Accountability accountability)
        => accountability.IsAdmin
            ? ResponseError.Request(error.Message, error.Locations.Count > 0 ? error.Locations : null)
            : ResponseError.Request(ResponseError.ValidationMessage);

    private static DirectusException? FindDirectusError(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is DirectusException directus)
            {
                return directus;
            }
        }

        return null;
    }
}
