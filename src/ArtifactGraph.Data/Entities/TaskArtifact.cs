namespace ArtifactGraph.Data.Entities;

/// <summary>Junction row between a task and an artifact version, ordered by <c>sort</c>.</summary>
public sealed class TaskArtifact
{
    public int Id { get; set; }
    public Guid? TaskId { get; set; }
    public Guid? ArtifactVersionId { get; set; }
    public int? Sort { get; set; }

    public ProjectTask? Task { get; set; }
    public ArtifactVersion? ArtifactVersion { get; set; }
}
