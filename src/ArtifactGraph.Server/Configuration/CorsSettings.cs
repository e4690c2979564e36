namespace ArtifactGraph.Server.Configuration;

/// <summary>
/// The <c>CORS_*</c> settings, with Directus's names and defaults (<c>@directus/env</c>), except that the allowed
/// headers also cover <c>User-Agent</c> (Banana Cake Pop sends it) and <c>If-Match</c> (promoteArtifact's precondition).
/// </summary>
public sealed record CorsSettings
{
    /// <summary><c>CORS_ENABLED</c>: answer preflights and add CORS headers at all (false).</summary>
    public bool Enabled { get; init; }

    /// <summary><c>CORS_ORIGIN</c>: which origins may call (false: none).</summary>
    public CorsOrigin Origin { get; init; } = CorsOrigin.None;

    /// <summary><c>CORS_METHODS</c> (GET,POST,PATCH,DELETE).</summary>
    public IReadOnlyList<string> Methods { get; init; } = ["GET", "POST", "PATCH", "DELETE"];

    /// <summary><c>CORS_ALLOWED_HEADERS</c> (Content-Type,Authorization,User-Agent,If-Match); <c>*</c> allows any.</summary>
    public IReadOnlyList<string> AllowedHeaders { get; init; } = ["Content-Type", "Authorization", "User-Agent", "If-Match"];

    /// <summary><c>CORS_EXPOSED_HEADERS</c> (Content-Range).</summary>
    public IReadOnlyList<string> ExposedHeaders { get; init; } = ["Content-Range"];

    /// <summary><c>CORS_CREDENTIALS</c>: send <c>Access-Control-Allow-Credentials: true</c> (true).</summary>
    public bool Credentials { get; init; } = true;

    /// <summary><c>CORS_MAX_AGE</c>: seconds a browser may cache a preflight answer (18000); null sends no header.</summary>
    public int? MaxAge { get; init; } = 18000;
}
