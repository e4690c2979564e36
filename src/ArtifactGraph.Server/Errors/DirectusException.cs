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

    /// <summary><c>Value ["v" ][for field "f" ][in collection "c" ]has to be unique.</c> (spec §9.3, §9.4).</summary>
    public static DirectusException RecordNotUnique(string? collection, string? field, object? value)
        => new("RECORD_NOT_UNIQUE", $"Value {Quoted(value)}{For(field)}{In(collection)}has to be unique.", 400, Details(collection, field, value));

    /// <summary><c>Invalid foreign key[ for field "f"][ in collection "c"].</c>, or a clearer message for a refused delete.</summary>
    public static DirectusException InvalidForeignKey(string? collection, string? field, object? value, string? message = null)
        => new("INVALID_FOREIGN_KEY",
            message ?? $"Invalid foreign key{(field is null ? "" : $" for field \"{field}\"")}{(collection is null ? "" : $" in collection \"{collection}\"")}.",
            400, Details(collection, field, value));

    /// <summary>Directus's validation of a null for a field that takes none (<c>nnull</c>), before anything is written.</summary>
    public static DirectusException NullNotAllowed(string field)
        => new("FAILED_VALIDATION", $"Validation failed for field \"{field}\". Value can't be null.", 400,
            new Dictionary<string, object?> { ["field"] = field, ["path"] = Array.Empty<object>(), ["type"] = "nnull" });

    public static DirectusException NotNullViolation(string? collection, string? field)
        => new("NOT_NULL_VIOLATION", $"Value {For(field)}{In(collection)}can't be null.", 400, Details(collection, field, null));

    public static DirectusException ValueTooLong(string? collection, string? field, string? value)
        => new("VALUE_TOO_LONG", $"Value {Quoted(value)}{For(field)}{In(collection)}is too long.", 400, Details(collection, field, value));

    public static DirectusException ValueOutOfRange(string? collection, string? field, string? value)
        => new("VALUE_OUT_OF_RANGE", $"Numeric value {Quoted(value)}{For(field)}{In(collection)}is out of range.", 400, Details(collection, field, value));

    private static string Quoted(object? value) => Text(value) is { Length: > 0 } text ? $"\"{text}\" " : "";

    private static string? Text(object? value) => value is IFormattable f ? f.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : value?.ToString();

    private static string For(string? field) => field is null ? "" : $"for field \"{field}\" ";

    private static string In(string? collection) => collection is null ? "" : $"in collection \"{collection}\" ";

    /// <summary>The extensions of a constraint error; the value as the payload held it (a JSON number stays a number).</summary>
    private static Dictionary<string, object?> Details(string? collection, string? field, object? value)
    {
        var details = new Dictionary<string, object?> { ["collection"] = collection, ["field"] = field };
        if (!string.IsNullOrEmpty(Text(value)))
        {
            details["value"] = value;
        }

        return details;
    }
}
