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

        foreach (var change in changes)
        {
            var payload = change.ToPayload();
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {payload})", ct);
        }
    }
}
