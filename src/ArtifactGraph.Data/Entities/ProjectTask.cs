namespace ArtifactGraph.Data.Entities;

/// <summary>A unit of work in a project (table <c>tasks</c>).</summary>
public sealed class ProjectTask
{
    public Guid Id { get; set; }
    public Guid? ProjectId { get; set; }
    public string? Title { get; set; }
    public string? Status { get; set; }
    /// <summary>
    /// Null until EF Core loads or fixes up the relation (reads load it through a batch loader, never through this
    /// navigation): no empty list allocated for every row read.
    /// </summary>
    public List<TaskArtifact> Artifacts { get; set; } = null!;

    public Project? Project { get; set; }
}
