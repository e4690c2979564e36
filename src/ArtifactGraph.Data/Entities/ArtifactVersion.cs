namespace ArtifactGraph.Data.Entities;

/// <summary>One version of a deliverable for a path (<c>schema_key</c>) of the project context.</summary>
public sealed class ArtifactVersion
{
    public Guid Id { get; set; }
    public DateTime? DateCreated { get; set; }
    public Guid? ProjectId { get; set; }
    public string? SchemaKey { get; set; }
    public int? Version { get; set; }
    public string? Status { get; set; }
    public string? Content { get; set; }
    public Guid? PrimaryFileId { get; set; }
    public List<ArtifactFile> Files { get; set; } = [];

    public Project? Project { get; set; }
    public StoredFile? PrimaryFile { get; set; }
}
