namespace ArtifactGraph.Data.Entities;

/// <summary>
/// What a policy allows on a collection (table <c>directus_permissions</c>): an action (<c>read</c>, <c>create</c>,
/// <c>update</c>, <c>delete</c>, and ArtifactGraph's <c>promote</c>), an item filter (<see cref="Permissions"/>), a
/// filter the written values must pass (<see cref="Validation"/>), default values (<see cref="Presets"/>) and the
/// allowed fields (comma-separated, <c>*</c> for all).
/// </summary>
public sealed class Permission
{
    public int Id { get; set; }
    public string Collection { get; set; } = "";
    public string Action { get; set; } = "";
    public string? Permissions { get; set; }
    public string? Validation { get; set; }
    public string? Presets { get; set; }
    public string? Fields { get; set; }
    public Guid Policy { get; set; }

    public Policy? PolicyRef { get; set; }
}
