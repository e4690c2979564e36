using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Server.Invalidation;

/// <summary>
/// The PostgreSQL channel that carries <see cref="ChangeRecord"/>s between the nodes of one database. A write sends its
/// records inside its own transaction: PostgreSQL delivers them on commit only, so a rolled-back write tells nobody.
/// </summary>
public static class ChangeNotifications
{
    public const string Channel = "artifactgraph_invalidate";

    /// <summary>The <c>application_name</c> of each node's listening connection (as <c>pg_stat_activity</c> shows it).</summary>
    public const string ListenerApplicationName = "artifactgraph-invalidation";

    /// <summary>Sends the records through the context's connection and transaction; nothing on SQLite (one node only).</summary>
    public static async Task SendAsync(DbContext db, IEnumerable<ChangeRecord> changes, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            return;
        }

        // One round trip for all of a write's records, however many.
        var payloads = changes.SelectMany(c => c.ToPayloads()).ToArray();
        if (payloads.Length > 0)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, p) FROM unnest({payloads}) AS p", ct);
        }
    }
}
