namespace ArtifactGraph.Server.Errors;

/// <summary>Directus errors used by the transport that the shared <see cref="DirectusException"/> has no factory for.</summary>
public static class DirectusErrors
{
    public static DirectusException ContentTooLarge()
        => new("CONTENT_TOO_LARGE", "Uploaded content is too large.", 413);

    public static DirectusException TooManyTokenSources()
        => DirectusException.InvalidPayload("The request uses more than one method for including an access token");

    public static DirectusException MissingQuery()
        => DirectusException.InvalidPayload("Must provide query string");

    /// <summary>Directus's <c>UnsupportedMediaTypeError</c>: a POST body in a type the endpoint cannot read (415).</summary>
    public static DirectusException UnsupportedMediaType(string mediaType)
        => new("UNSUPPORTED_MEDIA_TYPE", $"Unsupported media type \"{mediaType}\" in Content-Type header.", 415,
            new Dictionary<string, object?> { ["mediaType"] = mediaType, ["where"] = "Content-Type header" });

    /// <summary>
    /// ArtifactGraph's own code for 406 (Directus never refuses an Accept header): none of the accepted media types can be
    /// answered; the message and extensions follow <see cref="UnsupportedMediaType"/>.
    /// </summary>
    public static DirectusException NotAcceptable(string accept, IReadOnlyList<string> supported)
        => new("NOT_ACCEPTABLE", $"Unsupported media type \"{accept}\" in Accept header.", 406,
            new Dictionary<string, object?> { ["mediaType"] = accept, ["where"] = "Accept header", ["supported"] = supported });

    /// <summary>
    /// A GraphQL query cut short by <c>GRAPHQL_QUERY_TIMEOUT</c>: Directus's <c>SERVICE_UNAVAILABLE</c> (503), the error its
    /// pressure limiter answers when it sheds load, with the time limit as the reason.
    /// </summary>
    public static DirectusException QueryTimeout(int milliseconds)
        => ServiceUnavailable("graphql", $"Query took longer than {milliseconds}ms");

    /// <summary>Directus's <c>ServiceUnavailableError</c>: <c>Service "s" is unavailable. reason.</c> (503).</summary>
    public static DirectusException ServiceUnavailable(string service, string reason)
        => new("SERVICE_UNAVAILABLE", $"Service \"{service}\" is unavailable. {reason}.", 503,
            new Dictionary<string, object?> { ["service"] = service, ["reason"] = reason });

    public static DirectusException RouteNotFound(string path)
        => new("ROUTE_NOT_FOUND", $"Route {path} doesn't exist.", 404, new Dictionary<string, object?> { ["path"] = path });

    public static DirectusException Internal()
        => new("INTERNAL_SERVER_ERROR", ResponseError.UnexpectedMessage, 500);
}
