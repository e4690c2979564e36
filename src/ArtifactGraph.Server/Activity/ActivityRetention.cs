using ArtifactGraph.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Server.Activity;

/// <summary>
/// Directus's retention job: activity older than <c>ACTIVITY_RETENTION</c> (flow runs aside) goes with its revisions, and
/// revisions older than <c>REVISIONS_RETENTION</c> on their own when that is shorter, in batches of
/// <c>RETENTION_BATCH</c>, each batch one short transaction. A revision whose parent goes keeps no parent.
/// </summary>
public static class ActivityRetention
{
    /// <summary>One pass; returns the activity and revision rows deleted.</summary>
    public static async Task<(int Activity, int Revisions)> PruneAsync(
        IDbContextFactory<ArtifactGraphDbContext> factory, RetentionSettings settings, DateTime now, CancellationToken ct)
    {
        var (activity, revisions) = (0, 0);
        if (settings.Activity is { } keepActivity)
        {
            var cutoff = now - keepActivity;
            while (true)
            {
                await using var db = await factory.CreateDbContextAsync(ct);
                var ids = await db.Activity.Where(a => a.Timestamp < cutoff && a.Action != "run").OrderBy(a => a.Id).Select(a => a.Id).Take(settings.Batch).ToListAsync(ct);
                if (ids.Count == 0)
                {
                    break;
                }

                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var doomed = db.Revisions.Where(r => ids.Contains(r.Activity)).Select(r => r.Id);
                await db.Revisions.Where(r => r.Parent != null && doomed.Contains(r.Parent.Value)).ExecuteUpdateAsync(s => s.SetProperty(r => r.Parent, (int?)null), ct);
                revisions += await db.Revisions.Where(r => ids.Contains(r.Activity)).ExecuteDeleteAsync(ct);
                activity += await db.Activity.Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(ct);
                await transaction.CommitAsync(ct);
                if (ids.Count < settings.Batch)
                {
                    break;
                }
            }
        }

        if (settings.PrunesRevisions)
        {
            var cutoff = now - settings.Revisions!.Value;
            while (true)
            {
                await using var db = await factory.CreateDbContextAsync(ct);
                var ids = await db.Revisions.Where(r => r.ActivityRef!.Timestamp < cutoff).OrderBy(r => r.Id).Select(r => r.Id).Take(settings.Batch).ToListAsync(ct);
                if (ids.Count == 0)
                {
                    break;
                }

                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await db.Revisions.Where(r => r.Parent != null && ids.Contains(r.Parent.Value)).ExecuteUpdateAsync(s => s.SetProperty(r => r.Parent, (int?)null), ct);
                revisions += await db.Revisions.Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(ct);
                await transaction.CommitAsync(ct);
                if (ids.Count < settings.Batch)
                {
                    break;
                }
            }
        }

        return (activity, revisions);
    }
}
