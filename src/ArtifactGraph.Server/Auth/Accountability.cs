namespace ArtifactGraph.Server.Auth;

/// <summary>Who is asking: the user behind the request's token, or the public (no token).</summary>
public sealed record Accountability(Guid? UserId, Guid? RoleId, bool IsAdmin)
{
    public static readonly Accountability Public = new(null, null, false);

    public bool IsAuthenticated => UserId is not null;
}
