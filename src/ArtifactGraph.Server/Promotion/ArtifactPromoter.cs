using ArtifactGraph.Data;
using ArtifactGraph.Data.Diagnostics;
using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Promotion;
using ArtifactGraph.Server.Activity;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Write;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Invalidation;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace ArtifactGraph.Server.Promotion;

/// <summary>
/// Promotes an artifact version: it becomes the approved version of its path (project, schema_key), its content is
/// written into the project's context at that path, and the context_version goes up by one, all in one transaction
/// under the project's row lock. Idempotent: promoting a version that is approved and has its approval row again
/// changes nothing and answers the same result as a replay. A promotion is on record (activity and revisions, in its
/// transaction) as the update of the promoted version, whose revision is the parent of the others: each superseded
/// version's update, the project's update (context, context_version) and the approval's create.
/// </summary>
public sealed class ArtifactPromoter
{
    private readonly IDbContextFactory<ArtifactGraphDbContext> contexts;
    private readonly TimeProvider clock;
    private readonly DirectusModel? model;
    private readonly ActivityRecorder? recorder;
    private readonly ServerSettings? settings;
    private readonly Subscriptions.ChangeFeed? feed;

    /// <summary>A promoter that records nothing (work without an identity: the <c>demo</c> command).</summary>
    public ArtifactPromoter(IDbContextFactory<ArtifactGraphDbContext> contexts, TimeProvider clock)
    {
        this.contexts = contexts;
        this.clock = clock;
    }

    /// <param name="settings">
    /// Whether the promotion's change records go to the other nodes (<c>NOTIFY</c>): for their subscribers when WebSockets
    /// are on, and for the benchmark's <see cref="ServerSettings.InvalidationNotifyAll"/>.
    /// </param>
    /// <param name="feed">This node's subscribers (on SQLite; on PostgreSQL they hear the records through the listener).</param>
    public ArtifactPromoter(
        IDbContextFactory<ArtifactGraphDbContext> contexts, TimeProvider clock, DirectusModel model, ActivityRecorder recorder,
        ServerSettings? settings = null, Subscriptions.ChangeFeed? feed = null)
        : this(contexts, clock)
    {
        this.model = model;
        this.recorder = recorder;
        this.settings = settings;
        this.feed = feed;
    }

    public const string Approved = "approved";
    public const string Superseded = "superseded";
    public const string Rejected = "rejected";

    /// <param name="ifMatch">The context_version the caller last saw; null to promote whatever the context holds now.</param>
    /// <exception cref="DirectusException">FORBIDDEN, INVALID_PAYLOAD or PRECONDITION_FAILED; nothing changed.</exception>
    public Task<PromotionResult> PromoteAsync(Guid versionId, int? ifMatch, CancellationToken cancellationToken)
        => PromoteAsync(versionId, ifMatch, null, cancellationToken);

    /// <param name="who">The caller, whose promotion goes on record; null records nothing.</param>
    public async Task<PromotionResult> PromoteAsync(Guid versionId, int? ifMatch, Accountability? who, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        PromotionResult promoted;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                promoted = await strategy.ExecuteAsync(ct => PromoteOnceAsync(db, versionId, ifMatch, who, ct), cancellationToken);
                break;
            }
            catch (ApprovalWrittenMeanwhile) when (attempt < 3)
            {
                // Rolled back; the next attempt finds the approval row and keeps it.
            }
        }

        if (!promoted.Replayed && feed is not null && model is not null && !db.Database.IsNpgsql())
        {
            // One node (SQLite): its subscribers hear the committed promotion directly, from the same records.
            feed.Publish(model, ChangesOf(promoted));
        }
        else if (!promoted.Replayed && feed is not null)
        {
            // This node's data cache forgets at once; subscribers hear it through the listener.
            feed.CommittedHere(ChangesOf(promoted));
        }

        return promoted;
    }

    private async Task<PromotionResult> PromoteOnceAsync(ArtifactGraphDbContext db, Guid versionId, int? ifMatch, Accountability? who, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await PromotionSql.BeginAsync(db, ct);

        // The version, its approval and the other approved versions of its path, read after the project's lock was taken.
        var locked = await PromotionSql.ReadLockedAsync(db, versionId, ifMatch, ct);
        var version = locked.Version ?? throw DirectusException.Forbidden();
        var project = locked.Project ?? throw NoProject(versionId);
        if (version.ProjectId != project.Id)
        {
            throw DirectusException.InvalidPayload($"Artifact version \"{versionId}\" moved to another project during its promotion");
        }

        var path = ContextDocument.PathOf(version.SchemaKey);
        if (path.Length == 0)
        {
            throw DirectusException.InvalidPayload($"Artifact version \"{versionId}\" has no schema_key, so it has no place in the project context");
        }

        if (version.Status == Approved && locked.Approval is { } approval)
        {
            // Checked before ifMatch: a client retrying after a timeout gets its result, whatever it expected.
            var previous = await PreviouslyApprovedAsync(db, version, approval, ct);
            return await ReadResultAsync(db, versionId, project.Id, previous, replayed: true, ct);
        }

        if (version.Status is Rejected or Superseded)
        {
            throw DirectusException.InvalidPayload(
                $"Artifact version \"{versionId}\" is {version.Status}, and history does not move backwards: to roll back, "
                + "create a new version with the old content and promote it");
        }

        if (ifMatch is { } expected && expected != project.ContextVersion)
        {
            throw DirectusException.PreconditionFailed(
                $"the project's context_version is {project.ContextVersion}, not {expected}",
                new Dictionary<string, object?> { ["context_version"] = project.ContextVersion });
        }

        var result = await ApplyAsync(db, locked, path, who, ct);
        await transaction.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// The approval was created without the project's lock between this promotion's read and its insert: the promotion
    /// rolls back and starts again (it would otherwise record an approval it did not write).
    /// </summary>
    private sealed class ApprovalWrittenMeanwhile : Exception;

    /// <summary>The change records of the rows the promotion wrote (other nodes' caches and every node's subscribers).</summary>
    private static IEnumerable<ChangeRecord> ChangesOf(PromotionResult result)
        => result.Superseded.Append(result.ArtifactVersion)
            .Select(v => new ChangeRecord("artifact_versions", "update", [v.Id.ToString("D")]))
            .Append(new ChangeRecord("projects", "update", [result.Project.Id.ToString("D")]))
            .Append(new ChangeRecord("artifact_approvals", "create", [result.Approval.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]));

    /// <summary>
    /// Steps 3 to 7 and their record, and the result: the rows as this transaction wrote them. The approval goes first
    /// (its unique key on the version is what makes a promotion happen once); then the superseded versions, the promoted
    /// version (in this order: the partial unique index allows one approved version per path at any time), the project
    /// and the activity and revision rows. On PostgreSQL all of them go in one batch, one round trip under the lock, the
    /// approval with the id drawn under the lock.
    /// </summary>
    private async Task<PromotionResult> ApplyAsync(
        ArtifactGraphDbContext db, LockedPromotion locked, string[] path, Accountability? who, CancellationToken ct)
    {
        var (project, version, superseded) = (locked.Project!, locked.Version!, locked.Approved);

        // To the microsecond, as PostgreSQL keeps it: the result shows what the rows hold.
        var now = clock.GetUtcNow().UtcDateTime;
        now = now.AddTicks(-(now.Ticks % 10));
        var context = ContextDocument.Write(project.Context, path, version.Content);
        var contextVersion = project.ContextVersion + 1;
        var npgsql = db.Database.IsNpgsql();

        // A row is already there only if the version was approved and recorded before, then set back by a plain
        // update: idempotency rests on the approval's unique key alone, so that first record is kept.
        var (approval, created) = (locked.Approval, locked.ApprovalId) switch
        {
            ({ } existing, _) => (existing, false),
            (null, { } id) => (new ArtifactApproval { Id = id, ArtifactVersionId = version.Id, ProjectId = project.Id, ApprovedAt = now, ContextVersion = contextVersion }, true),
            _ => await PromotionSql.InsertApprovalAsync(db, version.Id, project.Id, now, contextVersion, ct),
        };

        var ids = superseded.Select(v => v.Id).ToArray();
        superseded.ForEach(v => v.Status = Superseded);
        version.Status = Approved;
        project.Context = context;
        project.ContextVersion = contextVersion;
        project.DateUpdated = now;

        // SQLite: the project row is tracked (it was read through EF) and is written by the statements below: not again.
        db.ChangeTracker.AcceptAllChanges();
        var result = new PromotionResult(version, project, superseded, approval, Replayed: false) { ApprovalCreated = created, At = now };
        // The revisions are built only when the promotion's collections record something (building them reads the context).
        var changes = who is not null && recorder is not null
            && await recorder.RecordsAnyAsync(db, who, ["artifact_versions", "projects", "artifact_approvals"], ct)
                ? ItemChangesOf(result)
                : null;
        if (npgsql)
        {
            var batch = new List<NpgsqlBatchCommand>();
            var insert = created ? PromotionSql.ApprovalInsert(approval) : null;
            if (insert is not null)
            {
                batch.Add(insert);
            }

            if (ids.Length > 0)
            {
                batch.Add(new("UPDATE artifact_versions SET status = $1 WHERE id = ANY ($2)")
                {
                    Parameters = { new NpgsqlParameter<string>() { TypedValue = Superseded }, new NpgsqlParameter<Guid[]>() { TypedValue = ids } },
                });
            }

            batch.Add(new("UPDATE artifact_versions SET status = $1 WHERE id = $2")
            {
                Parameters = { new NpgsqlParameter<string>() { TypedValue = Approved }, new NpgsqlParameter<Guid>() { TypedValue = version.Id } },
            });
            batch.Add(new("UPDATE projects SET context = $1, context_version = $2, date_updated = $3 WHERE id = $4")
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = (object?)context ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Json },
                    new NpgsqlParameter<int>() { TypedValue = contextVersion },
                    new NpgsqlParameter<DateTime>() { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                    new NpgsqlParameter<Guid>() { TypedValue = project.Id },
                },
            });
            if (changes is not null && await recorder!.CommandAsync(db, who!, changes, now, ct) is { } record)
            {
                batch.Add(record);
            }

            if (settings?.NotifiesEveryWrite == true && ChangeNotifications.Command(ChangesOf(result)) is { } notify)
            {
                batch.Add(notify);
            }

            await ContextBatches.ExecuteAsync(db, batch, ct);
            return insert is { RecordsAffected: 0 } ? throw new ApprovalWrittenMeanwhile() : result;
        }

        if (ids.Length > 0)
        {
            await db.ArtifactVersions.Where(v => ids.Contains(v.Id)).ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, Superseded), ct);
        }

        await db.ArtifactVersions.Where(v => v.Id == version.Id).ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, Approved), ct);
        await db.Projects.Where(p => p.Id == project.Id).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.Context, context)
            .SetProperty(p => p.ContextVersion, contextVersion)
            .SetProperty(p => p.DateUpdated, now), ct);
        if (changes is not null)
        {
            await recorder!.RecordAsync(db, who!, changes, now, ct);
        }

        return result;
    }

    /// <summary>The promotion's item changes, as the write path records them; null when nothing is recorded.</summary>
    private List<ItemChange>? ItemChangesOf(PromotionResult result)
    {
        if (recorder is null || model is null)
        {
            return null;
        }

        var versions = model["artifact_versions"];
        var projects = model["projects"];
        var approvals = model["artifact_approvals"];
        var promoted = Updated(versions, result.ArtifactVersion, result.ArtifactVersion.Id, null, "status");
        var changes = result.Superseded.Select(v => Updated(versions, v, v.Id, promoted, "status")).ToList();
        changes.Add(Updated(projects, result.Project, result.Project.Id, promoted, "context", "context_version", "date_updated"));
        if (result.ApprovalCreated)
        {
            var values = RevisionValues.Of(approvals, result.Approval, approvals.Fields.Select(f => f.Name).Where(f => f != "id"), withManyToOne: false);
            changes.Add(new ItemChange(approvals.Name, ItemChange.Create, promoted) { Key = result.Approval.Id, Delta = values, Data = values.DeepClone().AsObject() });
        }

        changes.Add(promoted);
        return changes;
    }

    private static ItemChange Updated(CollectionModel c, object entity, object key, ItemChange? parent, params string[] written)
    {
        var (delta, data) = RevisionValues.Updated(c, entity, written);
        return new(c.Name, ItemChange.Update, parent) { Key = key, Delta = delta, Data = data };
    }

    /// <summary>
    /// A replay's superseded versions are reconstructed, not stored: the version of the same path whose approval has
    /// the greatest context_version below this approval's, if it is superseded now. A version that was approved by a
    /// direct update (no approval row) cannot be found this way, so a replay may list fewer versions than the original.
    /// </summary>
    private static async Task<List<Guid>> PreviouslyApprovedAsync(
        ArtifactGraphDbContext db, ArtifactVersion version, ArtifactApproval approval, CancellationToken ct)
    {
        var previous = await db.ArtifactApprovals.AsNoTracking()
            .Where(a => a.ArtifactVersion!.ProjectId == version.ProjectId && a.ArtifactVersion.SchemaKey == version.SchemaKey
                && a.ContextVersion < approval.ContextVersion)
            .OrderByDescending(a => a.ContextVersion)
            .Select(a => new { a.ArtifactVersion!.Id, a.ArtifactVersion.Status })
            .FirstOrDefaultAsync(ct);
        return previous is { Status: Superseded } ? [previous.Id] : [];
    }

    /// <summary>The rows of the result, read inside the transaction so that they show exactly this promotion.</summary>
    private static async Task<PromotionResult> ReadResultAsync(
        ArtifactGraphDbContext db, Guid versionId, Guid projectId, List<Guid> superseded, bool replayed, CancellationToken ct)
    {
        var version = await db.ArtifactVersions.AsNoTracking().SingleAsync(v => v.Id == versionId, ct);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
        var approval = await db.ArtifactApprovals.AsNoTracking().SingleAsync(a => a.ArtifactVersionId == versionId, ct);
        var supersededRows = superseded.Count == 0
            ? []
            : await db.ArtifactVersions.AsNoTracking().Where(v => superseded.Contains(v.Id)).OrderBy(v => v.Version).ToListAsync(ct);
        return new PromotionResult(version, project, supersededRows, approval, replayed);
    }

    private static DirectusException NoProject(Guid versionId)
        => DirectusException.InvalidPayload($"Artifact version \"{versionId}\" has no project, so there is no context to promote it into");
}
