using ArtifactGraph.Server.Access;

namespace ArtifactGraph.Server.Auth;

/// <summary>
/// Who is asking: the user behind the request's token, or the public (no token), and what they may do; and, as
/// Directus's accountability holds them for <c>directus_activity</c>, where the request came from.
/// </summary>
public sealed record Accountability(Guid? UserId, Guid? RoleId, bool IsAdmin)
{
    public static readonly Accountability Public = new(null, null, false);

    public bool IsAuthenticated => UserId is not null;

    /// <summary>The merged permissions of the caller's policies (everything for administrators).</summary>
    public AccessRules Access { get; init; } = IsAdmin ? AccessRules.Admin : AccessRules.None;

    /// <summary>The client's address (<c>IP_TRUST_PROXY</c>, <c>IP_CUSTOM_HEADER</c>), as the activity row records it.</summary>
    public string? Ip { get; init; }

    /// <summary>The request's <c>User-Agent</c> header.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The request's <c>Origin</c> header.</summary>
    public string? Origin { get; init; }

    /// <summary>
    /// False for work done without an identity (as Directus without accountability): its writes leave no activity or
    /// revision rows. Every request has an identity, the public's included.
    /// </summary>
    public bool IsRecorded { get; init; } = true;

    /// <summary>The caller with where its request came from.</summary>
    public Accountability From(ClientInfo client) => this with { Ip = client.Ip, UserAgent = client.UserAgent, Origin = client.Origin };
}

/// <summary>Where a request came from: address, user agent and origin.</summary>
public sealed record ClientInfo(string? Ip, string? UserAgent, string? Origin);
