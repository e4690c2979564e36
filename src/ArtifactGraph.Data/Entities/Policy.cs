namespace ArtifactGraph.Data.Entities;

/// <summary>
/// An access policy (table <c>directus_policies</c>, Directus 11+): a named set of permissions, attached to roles and
/// users through <see cref="Access"/>. <see cref="AdminAccess"/> bypasses every permission.
/// </summary>
public sealed class Policy
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Icon { get; set; } = "badge";
    public string? Description { get; set; }
    public bool AdminAccess { get; set; }
    public bool AppAccess { get; set; }
}
