using ArtifactGraph.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Data.Legacy;

/// <summary>
/// One JSON array column of the old model and the junction collection that replaces it. The EF model no
/// longer has these columns, so they are named here; what differs between the two is given as delegates.
/// </summary>
internal sealed record LegacyArrayColumn(
    string Table,
    string Column,
    string TargetTable,
    Func<ArtifactGraphDbContext, IReadOnlyCollection<Guid>, IQueryable<Guid>> ExistingTargets,
    Func<ArtifactGraphDbContext, IReadOnlyCollection<Guid>, IQueryable<LegacyLink>> ExistingLinks,
    Func<LegacyLink, int, object> NewJunctionRow,
    Func<ArtifactGraphDbContext, LegacyLink, CancellationToken, Task<int>>? SetFirstTargetWhereEmpty = null)
{
    /// <summary><c>artifact_versions.file_ids</c> → <c>artifact_files</c>; the first file also becomes <c>primary_file_id</c>.</summary>
    public static readonly LegacyArrayColumn ArtifactVersionFiles = new(
        "artifact_versions",
        "file_ids",
        "directus_files",
        (db, ids) => db.Files.Where(f => ids.Contains(f.Id)).Select(f => f.Id),
        (db, parents) => db.ArtifactFiles
            .Where(l => l.ArtifactVersionId != null && l.DirectusFilesId != null && parents.Contains(l.ArtifactVersionId.Value))
            .Select(l => new LegacyLink(l.ArtifactVersionId!.Value, l.DirectusFilesId!.Value)),
        (link, sort) => new ArtifactFile { ArtifactVersionId = link.Parent, DirectusFilesId = link.Target, Sort = sort },
        (db, link, ct) => db.ArtifactVersions
            .Where(v => v.Id == link.Parent && v.PrimaryFileId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.PrimaryFileId, link.Target), ct));

    /// <summary><c>tasks.artifact_version_ids</c> → <c>task_artifacts</c>.</summary>
    public static readonly LegacyArrayColumn TaskArtifactVersions = new(
        "tasks",
        "artifact_version_ids",
        "artifact_versions",
        (db, ids) => db.ArtifactVersions.Where(v => ids.Contains(v.Id)).Select(v => v.Id),
        (db, parents) => db.TaskArtifacts
            .Where(l => l.TaskId != null && l.ArtifactVersionId != null && parents.Contains(l.TaskId.Value))
            .Select(l => new LegacyLink(l.TaskId!.Value, l.ArtifactVersionId!.Value)),
        (link, sort) => new TaskArtifact { TaskId = link.Parent, ArtifactVersionId = link.Target, Sort = sort });

    /// <summary>In the order they are migrated.</summary>
    public static IReadOnlyList<LegacyArrayColumn> All { get; } = [ArtifactVersionFiles, TaskArtifactVersions];

    public string QualifiedName => $"{Table}.{Column}";
}

/// <summary>A parent row linked to a target row through a junction.</summary>
internal readonly record struct LegacyLink(Guid Parent, Guid Target);
