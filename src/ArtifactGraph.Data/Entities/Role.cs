namespace ArtifactGraph.Data.Entities;

/// <summary>A role (table <c>directus_roles</c>); <see cref="AdminAccess"/> marks administrators.</summary>
public sealed class Role
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string? Icon { get; set; }
    public string? Description { get; set; }
    public bool AdminAccess { get; set; }
}
