using ArtifactGraph.Server.GraphQL.Validation;

namespace ArtifactGraph.Server.Errors;

/// <summary>One entry of a response's <c>errors</c>, in Directus's key order: message, extensions (code last), locations, path.</summary>
public sealed record ResponseError(
    string Message,
    IReadOnlyList<KeyValuePair<string, object?>> Extensions,
    IReadOnlyList<SourceLocation>? Locations = null,
    IReadOnlyList<object>? Path = null)
{
    public const string UnexpectedMessage = "An unexpected error occurred.";

    /// <summary>Directus's message for <c>GRAPHQL_VALIDATION</c>.</summary>
    public const string ValidationMessage = "GraphQL validation error.";

    /// <summary>The Directus code in <see cref="Extensions"/> (null when there is none).</summary>
    public string? Code => Extensions.LastOrDefault(e => e.Key == "code").Value as string;

    public static ResponseError From(DirectusException error, IReadOnlyList<SourceLocation>? locations = null, IReadOnlyList<object>? path = null)
        => new(error.Message, [.. error.Extensions, new("code", error.Code)], locations, path);

    /// <summary>A GraphQL request error (variables, operation selection): the client's mistake.</summary>
    public static ResponseError Request(string message, IReadOnlyList<SourceLocation>? locations = null)
        => new(message, [new("code", "GRAPHQL_VALIDATION")], locations);

    public static ResponseError Internal(string message, IReadOnlyList<SourceLocation>? locations = null, IReadOnlyList<object>? path = null)
        => new(message, [new("code", "INTERNAL_SERVER_ERROR")], locations, path);
}
