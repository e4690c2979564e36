using System.Text;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>What a generated request may be answered with.</summary>
public enum Expectation
{
    /// <summary>Invalid by construction: <c>errors</c>, and no root field with data.</summary>
    Error,

    /// <summary>A mutated or hostile request that may still be valid: errors or data, both fine.</summary>
    ErrorOrData,

    /// <summary>A known valid request sent during the storm: exactly the answer it had before.</summary>
    SameAsBaseline,

    /// <summary>An asset read: the bytes (200, 206, 304), or a well-formed error.</summary>
    BytesOrError,
}

/// <summary>
/// Who sends a request. The public role and an unknown token may read no collection; a role with permissions (once
/// roles exist) joins <see cref="NonAdmins"/> with the root fields it must not reach in <see cref="ForbiddenRootFields"/>.
/// </summary>
public sealed record Identity(string Name, string? Authorization, bool IsAdmin, IReadOnlyList<string>? ForbiddenRootFields = null)
{
    public const string AdminToken = "oracle-admin-token";

    public static readonly Identity Admin = new("admin", "Bearer " + AdminToken, true);

    public static readonly Identity Public = new("public", null, false);

    public static readonly Identity UnknownToken = new("unknown-token", "Bearer invalid-token-for-oracle", false);

    /// <summary>Identities that must never read a collection they are not allowed to (null forbidden list: every collection).</summary>
    public static IReadOnlyList<Identity> NonAdmins { get; } =
    [
        Public,
        UnknownToken,
        new("malformed-jwt", "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6IngiLCJpc3MiOiJkaXJlY3R1cyJ9.c2lnbmF0dXJl", false),
        new("alg-none-jwt", "Bearer eyJhbGciOiJub25lIn0.eyJpZCI6IjBhMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMSIsImFkbWluX2FjY2VzcyI6dHJ1ZX0.", false),
        new("sql-token", "Bearer ' OR '1'='1", false),
        new("three-part-bearer", "Bearer oracle-admin-token extra", false),
        new("basic-auth", "Basic b3JhY2xlLWFkbWluLXRva2VuOg==", false),
        new("lowercase-token-prefix", "Bearer ORACLE-ADMIN-TOKEN", false),
    ];

    public bool MayReach(string rootField) => IsAdmin || (ForbiddenRootFields is { } forbidden && !forbidden.Contains(rootField));
}

/// <summary>One generated request: everything needed to send it again, and what its answer may be.</summary>
public sealed record BadRequest(
    string Category,
    Identity Identity,
    HttpMethod Method,
    string PathAndQuery,
    byte[]? Body,
    string? ContentType,
    Expectation Expectation)
{
    /// <summary>Position in the generated list; with the seed, enough to generate this request again.</summary>
    public int Index { get; init; }

    /// <summary>Sent with no Content-Length (chunked), to reach the payload limit without announcing the size.</summary>
    public bool Chunked { get; init; }

    /// <summary>The one HTTP status the answer must have, when the request says it (413, 405, 401).</summary>
    public int? ExpectedStatus { get; init; }

    /// <summary>More request headers (<c>Range</c>, …), sent without validation.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>A name for what this request exercises, when a known issue needs to recognise it.</summary>
    public string? Tag { get; init; }

    /// <summary>For <see cref="Expectation.SameAsBaseline"/>: the key of the baseline answer.</summary>
    public string? BaselineKey { get; init; }

    /// <summary>Everything the request says, so that an error message merely repeating it is not taken for a leak.</summary>
    public string EchoableText => _echoable ??= EchoText.Of(this);

    private string? _echoable;

    /// <summary>A readable, bounded description for failure messages.</summary>
    public string Describe(int max = 600)
    {
        var body = Body is null ? "" : Encoding.UTF8.GetString(Body);
        var shown = body.Length > max ? body[..max] + $"… ({Body!.Length} bytes)" : body;
        var path = PathAndQuery.Length > max ? PathAndQuery[..max] + $"… ({PathAndQuery.Length} chars)" : PathAndQuery;
        return $"#{Index} [{Category}] as {Identity.Name}: {Method} {path}" + (ContentType is null ? "" : $" ({ContentType})")
            + (Chunked ? " chunked" : "") + string.Concat(Headers.Select(h => $"\n    {h.Key}: {(h.Value.Length > max ? h.Value[..max] + "…" : h.Value)}"))
            + (Body is null ? "" : $"\n    body: {shown}");
    }
}
