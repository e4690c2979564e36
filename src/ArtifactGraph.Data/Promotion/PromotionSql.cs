using System.Data;
using ArtifactGraph.Data.Diagnostics;
using ArtifactGraph.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace ArtifactGraph.Data.Promotion;

/// <summary>What a promotion reads under its project's lock.</summary>
/// <param name="Project">The version's project, locked; null when the version or its project is missing.</param>
/// <param name="Version">The version, read after the lock was taken; null when there is no such version.</param>
/// <param name="Approval">The version's approval row, if it has one.</param>
/// <param name="Approved">The other approved versions of the version's path (project, schema_key), by version.</param>
/// <param name="ApprovalId">
/// PostgreSQL: the id drawn from the approvals' sequence for the approval this promotion would create, when the version
/// has none yet (the insert then goes in the promotion's last batch, and its activity row can name it); null otherwise.
/// </param>
public sealed record LockedPromotion(Project? Project, ArtifactVersion? Version, ArtifactApproval? Approval, List<ArtifactVersion> Approved, int? ApprovalId);

/// <summary>
/// The statements of a promotion that differ between PostgreSQL and SQLite, in one place: the write transaction
/// with the project's row lock, what is read under it, and the idempotent insert of the approval.
/// </summary>
public static class PromotionSql
{
    private const string VersionColumns = "{0}.id, {0}.date_created, {0}.project_id, {0}.schema_key, {0}.version, {0}.status, {0}.content, {0}.primary_file_id";

    /// <summary>
    /// PostgreSQL, in one round trip: the version's project locked (<c>FOR UPDATE</c>, waiting for the promotion before
    /// it), then, each statement after the lock and so seeing what the promotion before it committed, the version with
    /// its approval, the other approved versions of its path and, if the promotion will create an approval (as far as
    /// <paramref name="ifMatch"/> and the rows tell), an id for it. Every statement under the lock delays the next
    /// promotion of the project: one round trip instead of one per statement, and none before the lock (the version's
    /// project is looked up inside the locking statement).
    /// </summary>
    public static async Task<LockedPromotion> ReadLockedAsync(ArtifactGraphDbContext db, Guid versionId, int? ifMatch, CancellationToken cancellationToken)
    {
        if (db.IsSqlite)
        {
            return await ReadLockedSqliteAsync(db, versionId, cancellationToken);
        }

        NpgsqlBatchCommand Command(string sql) => new(sql) { Parameters = { new NpgsqlParameter<Guid>() { TypedValue = versionId } } };
        NpgsqlBatchCommand[] commands =
        [
            Command("""
                SELECT p.id, p.date_created, p.date_updated, p.name, p.context, p.context_version FROM projects p
                WHERE p.id = (SELECT v.project_id FROM artifact_versions v WHERE v.id = $1) FOR UPDATE OF p
                """),
            Command($"""
                SELECT {string.Format(VersionColumns, "v")}, a.id, a.artifact_version_id, a.project_id, a.approved_at, a.context_version
                FROM artifact_versions v LEFT JOIN artifact_approvals a ON a.artifact_version_id = v.id WHERE v.id = $1
                """),
            Command($"""
                SELECT {string.Format(VersionColumns, "o")} FROM artifact_versions v
                JOIN artifact_versions o ON o.project_id = v.project_id AND o.schema_key = v.schema_key
                WHERE v.id = $1 AND o.status = 'approved' AND o.id <> v.id ORDER BY o.version
                """),
            // Drawn only for a promotion that will create an approval (a failed one must not use up an id): a version of
            // this project without an approval, neither rejected nor superseded, and the context_version expected.
            new("""
                SELECT nextval(pg_get_serial_sequence('artifact_approvals', 'id'))::integer
                FROM artifact_versions v JOIN projects p ON p.id = v.project_id
                WHERE v.id = $1 AND v.status NOT IN ('rejected', 'superseded') AND ($2::integer IS NULL OR p.context_version = $2)
                    AND NOT EXISTS (SELECT 1 FROM artifact_approvals a WHERE a.artifact_version_id = v.id)
                """)
            {
                Parameters = { new NpgsqlParameter<Guid>() { TypedValue = versionId }, new NpgsqlParameter { Value = (object?)ifMatch ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer } },
            },
        ];
        return await ContextBatches.ReadAsync(db, commands, async (reader, ct) =>
        {
            Project? project = null;
            if (await reader.ReadAsync(ct))
            {
                project = new Project
                {
                    Id = reader.GetGuid(0),
                    DateCreated = Nullable<DateTime>(reader, 1),
                    DateUpdated = Nullable<DateTime>(reader, 2),
                    Name = Text(reader, 3),
                    Context = Text(reader, 4),
                    ContextVersion = reader.GetInt32(5),
                };
            }

            await reader.NextResultAsync(ct);
            (ArtifactVersion? version, ArtifactApproval? approval) = (null, null);
            if (await reader.ReadAsync(ct))
            {
                version = Version(reader);
                approval = reader.IsDBNull(8) ? null : new ArtifactApproval
                {
                    Id = reader.GetInt32(8),
                    ArtifactVersionId = Nullable<Guid>(reader, 9),
                    ProjectId = Nullable<Guid>(reader, 10),
                    ApprovedAt = Nullable<DateTime>(reader, 11),
                    ContextVersion = Nullable<int>(reader, 12),
                };
            }

            await reader.NextResultAsync(ct);
            var approved = new List<ArtifactVersion>();
            while (await reader.ReadAsync(ct))
            {
                approved.Add(Version(reader));
            }

            await reader.NextResultAsync(ct);
            // Null too when the id column has no sequence: the approval is then inserted on its own, returning its id.
            int? approvalId = await reader.ReadAsync(ct) ? Nullable<int>(reader, 0) : null;
            return new LockedPromotion(project, version, approval, approved, approvalId);
        }, cancellationToken);
    }

    /// <summary>
    /// PostgreSQL: the approval's insert with the id <see cref="ReadLockedAsync"/> drew, for the promotion's last batch.
    /// Nothing conflicts with it under the project's lock unless the approval was written without that lock (a plain
    /// create on <c>artifact_approvals</c>): then it inserts nothing and <see cref="NpgsqlBatchCommand.RecordsAffected"/>
    /// is 0, and the promotion must start again.
    /// </summary>
    public static NpgsqlBatchCommand ApprovalInsert(ArtifactApproval approval) => new("""
        INSERT INTO artifact_approvals (id, artifact_version_id, project_id, approved_at, context_version) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (artifact_version_id) DO NOTHING
        """)
    {
        Parameters =
        {
            new NpgsqlParameter<int>() { TypedValue = approval.Id },
            new NpgsqlParameter<Guid>() { TypedValue = approval.ArtifactVersionId!.Value },
            new NpgsqlParameter<Guid>() { TypedValue = approval.ProjectId!.Value },
            new NpgsqlParameter<DateTime>() { TypedValue = approval.ApprovedAt!.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            new NpgsqlParameter<int>() { TypedValue = approval.ContextVersion!.Value },
        },
    };

    private static ArtifactVersion Version(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        DateCreated = Nullable<DateTime>(reader, 1),
        ProjectId = Nullable<Guid>(reader, 2),
        SchemaKey = Text(reader, 3),
        Version = Nullable<int>(reader, 4),
        Status = Text(reader, 5),
        Content = Text(reader, 6),
        PrimaryFileId = Nullable<Guid>(reader, 7),
    };

    private static T? Nullable<T>(NpgsqlDataReader reader, int ordinal)
        where T : struct
        => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>SQLite: the same reads one by one, inside the immediate transaction that already holds the write lock.</summary>
    private static async Task<LockedPromotion> ReadLockedSqliteAsync(ArtifactGraphDbContext db, Guid versionId, CancellationToken ct)
    {
        var found = await (
            from v in db.ArtifactVersions.AsNoTracking()
            where v.Id == versionId
            join a in db.ArtifactApprovals.AsNoTracking() on (Guid?)v.Id equals a.ArtifactVersionId into approvals
            from a in approvals.DefaultIfEmpty()
            select new { Version = v, Approval = a })
            .FirstOrDefaultAsync(ct);
        if (found?.Version.ProjectId is not { } projectId)
        {
            return new LockedPromotion(null, found?.Version, found?.Approval, [], null);
        }

        var project = await LockProjectAsync(db, projectId, ct);
        var version = found.Version;
        var approved = await db.ArtifactVersions.AsNoTracking()
            .Where(v => v.ProjectId == projectId && v.SchemaKey == version.SchemaKey && v.Status == "approved" && v.Id != version.Id)
            .OrderBy(v => v.Version)
            .ToListAsync(ct);
        return new LockedPromotion(project, version, found.Approval, approved, null);
    }
    /// <summary>
    /// Begins the promotion's transaction. On SQLite it is <c>BEGIN IMMEDIATE</c> (Microsoft.Data.Sqlite's choice
    /// for a serializable, non-deferred transaction): the database's write lock is taken at once, so two promotions
    /// queue here instead of failing when a read transaction would later need to become a write transaction.
    /// </summary>
    public static Task<IDbContextTransaction> BeginAsync(ArtifactGraphDbContext db, CancellationToken cancellationToken)
        => db.IsSqlite
            ? db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken)
            : db.Database.BeginTransactionAsync(cancellationToken);

    /// <summary>SQLite: the project, tracked; the immediate transaction already holds the database's write lock.</summary>
    private static Task<Project?> LockProjectAsync(ArtifactGraphDbContext db, Guid projectId, CancellationToken cancellationToken)
        => db.Projects.SingleOrDefaultAsync(p => p.Id == projectId, cancellationToken);

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
