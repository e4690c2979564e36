namespace ArtifactGraph.Data.Entities;

/// <summary>The record of one promotion: which version was approved and the context version it produced.</summary>
public sealed class ArtifactApproval
{
    public int Id { get; set; }
    public Guid? ArtifactVersionId { get; set; }
    public Guid? ProjectId { get; set; }
    public DateTime? ApprovedAt { get; set; }
    public int? ContextVersion { get; set; }

    public ArtifactVersion? ArtifactVersion { get; set; }
    public Project? Project { get; set; }
}
