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

    public static DirectusException Internal()
        => new("INTERNAL_SERVER_ERROR", ResponseError.UnexpectedMessage, 500);
}
