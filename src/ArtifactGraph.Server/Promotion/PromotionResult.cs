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
    bool Replayed)
{
    /// <summary>True when this promotion inserted the approval row (a promotion of a version approved before keeps that row).</summary>
    internal bool ApprovalCreated { get; init; }

    /// <summary>When the promotion was applied (the project's date_updated, the approval's approved_at).</summary>
    internal DateTime At { get; init; }
}
