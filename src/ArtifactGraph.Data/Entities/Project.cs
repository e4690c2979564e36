namespace ArtifactGraph.Data.Entities;

/// <summary>A team's project: a JSON context document and its version counter.</summary>
public sealed class Project
{
    public Guid Id { get; set; }
    public DateTime? DateCreated { get; set; }
    public DateTime? DateUpdated { get; set; }
    public string? Name { get; set; }
    public string? Context { get; set; }
    public int ContextVersion { get; set; }
}
