namespace ArtifactGraph.Data.Entities;

/// <summary>
/// Attaches a policy to a role or a user (table <c>directus_access</c>); a row with neither is a policy of the public
/// (requests without a token).
/// </summary>
public sealed class Access
{
    public Guid Id { get; set; }
    public Guid? Role { get; set; }
    public Guid? User { get; set; }
    public Guid Policy { get; set; }
    public int? Sort { get; set; }

    public Role? RoleRef { get; set; }
    public User? UserRef { get; set; }
    public Policy? PolicyRef { get; set; }
}
