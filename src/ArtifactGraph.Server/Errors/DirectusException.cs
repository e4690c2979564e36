namespace ArtifactGraph.Server.Errors;

/// <summary>
/// An error with a Directus error code. Inside GraphQL execution it becomes a field error
/// <c>{ message, extensions: { code, …Extensions }, locations, path }</c> (HTTP 200); outside it is answered
/// with <see cref="HttpStatus"/> as <c>{ "errors": [ { message, extensions } ] }</c>.
/// </summary>
public class DirectusException(string code, string message, int httpStatus, IReadOnlyDictionary<string, object?>? extensions = null)
    : Exception(message)
{
    public string Code { get; } = code;

    public int HttpStatus { get; } = httpStatus;

    /// <summary>Extra keys written into <c>extensions</c> before <c>code</c> (Directus puts <c>code</c> last).</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();

    public static DirectusException Forbidden(string? reason = null)
        => new("FORBIDDEN", reason ?? "You don't have permission to access this.", 403,
            reason is null ? null : new Dictionary<string, object?> { ["reason"] = reason });

    public static DirectusException InvalidQuery(string reason)
        => new("INVALID_QUERY", $"Invalid query. {reason}.", 400, new Dictionary<string, object?> { ["reason"] = reason });

    public static DirectusException InvalidPayload(string reason)
        => new("INVALID_PAYLOAD", $"Invalid payload. {reason}.", 400, new Dictionary<string, object?> { ["reason"] = reason });

    public static DirectusException InvalidCredentials()
        => new("INVALID_CREDENTIALS", "Invalid user credentials.", 401);

    public static DirectusException MethodNotAllowed(string method, params string[] allowed)
        => new("METHOD_NOT_ALLOWED",
            $"Invalid method \"{method}\" used. Should be one of {string.Join(", ", allowed.Select(a => $"\"{a}\""))}.",
            405,
            new Dictionary<string, object?> { ["allowed"] = allowed, ["current"] = method });

    /// <summary>A condition the request set (such as promoteArtifact's <c>ifMatch</c>) does not hold; nothing changed.</summary>
    /// <param name="extensions">What holds now, so that the client can decide what to do next.</param>
    public static DirectusException PreconditionFailed(string reason, IReadOnlyDictionary<string, object?> extensions)
        => new("PRECONDITION_FAILED", $"Precondition failed: {reason}.", 412, extensions);
}
