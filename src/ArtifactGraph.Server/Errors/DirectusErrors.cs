using System.Globalization;

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

    /// <summary>Seconds a client is asked to wait (<c>Retry-After</c>) when the database is away.</summary>
    public const int DatabaseRetryAfterSeconds = 5;

    /// <summary>
    /// The database cannot be reached (or refuses connections for now) even after the reads' retries: 503
    /// <c>SERVICE_UNAVAILABLE</c>, answered with a <c>Retry-After</c> header (<see cref="IsDatabaseUnavailable"/>).
    /// </summary>
    public static DirectusException DatabaseUnavailable()
        => ServiceUnavailable("database", "The database cannot be reached");

    public static bool IsDatabaseUnavailable(DirectusException error)
        => error.Code == "SERVICE_UNAVAILABLE" && error.Extensions.TryGetValue("service", out var service) && service is "database";

    /// <summary>Directus's <c>ServiceUnavailableError</c>: <c>Service "s" is unavailable. reason.</c> (503).</summary>
    public static DirectusException ServiceUnavailable(string service, string reason)
        => new("SERVICE_UNAVAILABLE", $"Service \"{service}\" is unavailable. {reason}.", 503,
            new Dictionary<string, object?> { ["service"] = service, ["reason"] = reason });

    /// <summary>
    /// Directus's <c>HitRateLimitError</c> (429): <c>Too many requests, retry after 437ms.</c>, the time left in the
    /// caller's window in the <c>ms</c> package's short format; <c>limit</c> and <c>reset</c> (the moment the window ends).
    /// </summary>
    public static DirectusException RequestsExceeded(int limit, TimeSpan retryAfter, DateTimeOffset now)
    {
        var milliseconds = (long)Math.Ceiling(retryAfter.TotalMilliseconds);
        var reset = now.AddMilliseconds(milliseconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return new("REQUESTS_EXCEEDED", $"Too many requests, retry after {ShortDuration(milliseconds)}.", 429,
            new Dictionary<string, object?> { ["limit"] = limit, ["reset"] = reset });
    }

    /// <summary>The <c>ms</c> package's short format: 437ms, 2s, 5m, 3h, 2d (rounded half up, as JavaScript's Math.round).</summary>
    internal static string ShortDuration(long milliseconds)
    {
        (long Size, string Unit)[] units = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s")];
        foreach (var (size, unit) in units)
        {
            if (milliseconds >= size)
            {
                return (long)Math.Floor(milliseconds / (double)size + 0.5) + unit;
            }
        }

        return milliseconds + "ms";
    }

    public static DirectusException RouteNotFound(string path)
        => new("ROUTE_NOT_FOUND", $"Route {path} doesn't exist.", 404, new Dictionary<string, object?> { ["path"] = path });

    public static DirectusException Internal()
        => new("INTERNAL_SERVER_ERROR", ResponseError.UnexpectedMessage, 500);
}
