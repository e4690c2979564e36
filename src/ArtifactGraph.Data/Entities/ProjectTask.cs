namespace ArtifactGraph.Data.Entities;

/// <summary>A unit of work in a project (table <c>tasks</c>).</summary>
public sealed class ProjectTask
{
    public Guid Id { get; set; }
    public Guid? ProjectId { get; set; }
    public string? Title { get; set; }
    public string? Status { get; set; }
    public List<TaskArtifact> Artifacts { get; set; } = [];

    public Project? Project { get; set; }
}
