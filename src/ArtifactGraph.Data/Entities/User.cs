namespace ArtifactGraph.Data.Entities;

/// <summary>A user (table <c>directus_users</c>), the fields ArtifactGraph needs: identity, static token and role.</summary>
public sealed class User
{
    public Guid Id { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Email { get; set; }
    public string? Password { get; set; }
    public string? Status { get; set; }
    public Guid? Role { get; set; }
    public string? Token { get; set; }

    public Role? RoleRef { get; set; }
}
