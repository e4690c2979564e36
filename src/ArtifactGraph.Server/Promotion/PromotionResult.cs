using ArtifactGraph.Data.Entities;

namespace ArtifactGraph.Server.Promotion;

/// <summary>
/// What a promotion did, as the rows read inside its transaction: the version (approved), its project (new context
/// and context_version), the versions it superseded, the approval row, and whether it was a replay that changed nothing.
/// </summary>
public sealed record PromotionResult(
    ArtifactVersion ArtifactVersion,
    Project Project,
    IReadOnlyList<ArtifactVersion> Superseded,
    ArtifactApproval Approval,
    bool Replayed);
