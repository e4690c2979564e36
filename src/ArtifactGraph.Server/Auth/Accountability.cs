using ArtifactGraph.Server.Access;

namespace ArtifactGraph.Server.Auth;

/// <summary>Who is asking: the user behind the request's token, or the public (no token), and what they may do.</summary>
public sealed record Accountability(Guid? UserId, Guid? RoleId, bool IsAdmin)
{
    public static readonly Accountability Public = new(null, null, false);

    public bool IsAuthenticated => UserId is not null;

    /// <summary>The merged permissions of the caller's policies (everything for administrators).</summary>
    public AccessRules Access { get; init; } = IsAdmin ? AccessRules.Admin : AccessRules.None;
}
