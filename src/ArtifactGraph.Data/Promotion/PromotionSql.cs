using System.Data;
using ArtifactGraph.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ArtifactGraph.Data.Promotion;

/// <summary>
/// The statements of a promotion that differ between PostgreSQL and SQLite, in one place: the write transaction
/// with the project's row lock, and the idempotent insert of the approval.
/// </summary>
public static class PromotionSql
{
    /// <summary>
    /// Begins the promotion's transaction. On SQLite it is <c>BEGIN IMMEDIATE</c> (Microsoft.Data.Sqlite's choice
    /// for a serializable, non-deferred transaction): the database's write lock is taken at once, so two promotions
    /// queue here instead of failing when a read transaction would later need to become a write transaction.
    /// </summary>
    public static Task<IDbContextTransaction> BeginAsync(ArtifactGraphDbContext db, CancellationToken cancellationToken)
        => db.IsSqlite
            ? db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken)
            : db.Database.BeginTransactionAsync(cancellationToken);

    /// <summary>
    /// Locks the project row until the transaction ends (<c>SELECT … FOR UPDATE</c> on PostgreSQL; on SQLite the
    /// immediate transaction already holds the database's write lock) and returns it, tracked. Null when there is no
    /// such project.
    /// </summary>
    public static async Task<Project?> LockProjectAsync(ArtifactGraphDbContext db, Guid projectId, CancellationToken cancellationToken)
    {
        if (db.IsSqlite)
        {
            return await db.Projects.SingleOrDefaultAsync(p => p.Id == projectId, cancellationToken);
        }

        // ToListAsync keeps EF from composing around the raw SQL: the statement runs exactly as written.
        var rows = await db.Projects.FromSql($"SELECT * FROM projects WHERE id = {projectId} FOR UPDATE").ToListAsync(cancellationToken);
        return rows.SingleOrDefault();
    }

    /// <summary>
    /// Records the approval of a version unless it already has one (artifact_version_id is unique). The same
    /// statement serves both databases; its conflict target is narrower than SQLite's <c>INSERT OR IGNORE</c>,
    /// which would also swallow foreign-key and NOT NULL failures.
    /// </summary>
    /// <returns>The version's approval row, and whether this call created it (false when the version already had one: that row is returned).</returns>
    public static async Task<(ArtifactApproval Approval, bool Created)> InsertApprovalAsync(
        ArtifactGraphDbContext db, Guid versionId, Guid projectId, DateTime approvedAt, int contextVersion, CancellationToken cancellationToken)
    {
        var inserted = await db.Database.SqlQuery<int>(
            $"""
            INSERT INTO artifact_approvals (artifact_version_id, project_id, approved_at, context_version)
            VALUES ({Key(db, versionId)}, {Key(db, projectId)}, {approvedAt}, {contextVersion})
            ON CONFLICT (artifact_version_id) DO NOTHING
            RETURNING id
            """).ToListAsync(cancellationToken);
        if (inserted is [var id])
        {
            var approval = new ArtifactApproval { Id = id, ArtifactVersionId = versionId, ProjectId = projectId, ApprovedAt = approvedAt, ContextVersion = contextVersion };
            return (approval, true);
        }

        return (await db.ArtifactApprovals.AsNoTracking().SingleAsync(a => a.ArtifactVersionId == versionId, cancellationToken), false);
    }

    /// <summary>A uuid as a raw SQL parameter: text on SQLite, as the model's lowercase-text converter stores it.</summary>
    private static object Key(ArtifactGraphDbContext db, Guid id) => db.IsSqlite ? id.ToString("D") : id;
}
