using System.Text.RegularExpressions;

namespace ArtifactGraph.Server.Configuration;

/// <summary>
/// <c>CORS_ORIGIN</c> as Directus (expressjs/cors) reads it: <c>false</c> (no origin), <c>true</c> (the caller's own
/// origin, whatever it is), <c>*</c>, one origin or a comma-separated list (<c>array:</c> prefix optional), or
/// <c>regex:&lt;pattern&gt;</c>, tested against the Origin header unanchored, as JavaScript's <c>RegExp.test</c> does.
/// </summary>
public sealed record CorsOrigin
{
    private CorsOrigin(CorsOriginKind kind, IReadOnlyList<string>? origins = null, Regex? pattern = null)
    {
        Kind = kind;
        Origins = origins ?? [];
        Pattern = pattern;
    }

    public static CorsOrigin None { get; } = new(CorsOriginKind.None);

    public static CorsOrigin Reflect { get; } = new(CorsOriginKind.Reflect);

    public static CorsOrigin Any { get; } = new(CorsOriginKind.Any);

    public CorsOriginKind Kind { get; }

    /// <summary>The listed origins (<see cref="CorsOriginKind.List"/>).</summary>
    public IReadOnlyList<string> Origins { get; }

    /// <summary>The pattern (<see cref="CorsOriginKind.Pattern"/>).</summary>
    public Regex? Pattern { get; }

    public static CorsOrigin List(IEnumerable<string> origins) => new(CorsOriginKind.List, origins.ToList());

    public static CorsOrigin Matching(Regex pattern) => new(CorsOriginKind.Pattern, pattern: pattern);

    /// <summary>Whether a request from <paramref name="origin"/> may read the answer.</summary>
    public bool Allows(string origin) => Kind switch
    {
        CorsOriginKind.Reflect or CorsOriginKind.Any => true,
        CorsOriginKind.List => Origins.Any(o => string.Equals(o, origin, StringComparison.OrdinalIgnoreCase)),
        CorsOriginKind.Pattern => Pattern!.IsMatch(origin),
        _ => false,
    };
}

public enum CorsOriginKind
{
    /// <summary><c>false</c>: no cross-origin caller is allowed.</summary>
    None,

    /// <summary><c>true</c>: every origin, answered with the caller's own origin.</summary>
    Reflect,

    /// <summary><c>*</c>: every origin, answered with <c>*</c> (or the caller's origin when credentials are allowed).</summary>
    Any,

    /// <summary>One or more exact origins.</summary>
    List,

    /// <summary><c>regex:…</c>.</summary>
    Pattern,
}
