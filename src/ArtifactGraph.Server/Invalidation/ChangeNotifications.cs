using ArtifactGraph.Data.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;

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
        if (!db.Database.IsNpgsql() || Command(changes) is not { } command)
        {
            return;
        }

        await ContextBatches.ExecuteAsync(db, [command], ct);
    }

    /// <summary>
    /// PostgreSQL only: the statement that sends the records (one for all of a write's records, however many), for the
    /// caller to send in one batch with its own last statements; null when there is nothing to send.
    /// </summary>
    public static NpgsqlBatchCommand? Command(IEnumerable<ChangeRecord> changes)
    {
        var payloads = changes.SelectMany(c => c.ToPayloads()).ToArray();
        return payloads.Length == 0 ? null : new NpgsqlBatchCommand("SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p")
        {
            Parameters = { new NpgsqlParameter<string>() { TypedValue = Channel }, new NpgsqlParameter<string[]>() { TypedValue = payloads } },
        };
    }
}
