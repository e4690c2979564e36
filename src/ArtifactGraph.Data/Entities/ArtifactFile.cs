namespace ArtifactGraph.Data.Entities;

/// <summary>Junction row between an artifact version and a file, ordered by <c>sort</c>.</summary>
public sealed class ArtifactFile
{
    public int Id { get; set; }
    public Guid? ArtifactVersionId { get; set; }
    public Guid? DirectusFilesId { get; set; }
    public int? Sort { get; set; }

    public ArtifactVersion? ArtifactVersion { get; set; }
    public StoredFile? DirectusFiles { get; set; }
}
