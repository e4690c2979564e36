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
    /// <summary>
    /// Null until EF Core loads or fixes up the relation (reads load it through a batch loader, never through this
    /// navigation): no empty list allocated for every row read.
    /// </summary>
    public List<ArtifactFile> Files { get; set; } = null!;

    public Project? Project { get; set; }
    public StoredFile? PrimaryFile { get; set; }
}
