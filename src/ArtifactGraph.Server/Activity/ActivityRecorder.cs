using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Diagnostics;
using ArtifactGraph.Data.Entities;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Directus.Write;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace ArtifactGraph.Server.Activity;

/// <summary>
/// Writes Directus's <c>directus_activity</c> and <c>directus_revisions</c> rows for a write's item changes, inside the
/// write's transaction (a rolled-back write leaves none), as Directus 12 writes them: one activity row per recorded
/// item and action; a revision for each create, and for each update that wrote something, with <c>data</c> and
/// <c>delta</c>; none for a delete; a nested item's revision points to its parent's. The collection's accountability
/// setting decides (<see cref="CollectionAccountability"/>); work without an identity records nothing.
/// </summary>
public sealed class ActivityRecorder(CollectionAccountability accountability)
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes the rows in the write's transaction: on PostgreSQL in one statement (ids drawn from the tables' own
    /// sequences in it, so no row waits for another's generated key), on SQLite through the context. Nothing when nothing
    /// is recorded.
    /// </summary>
    public async Task RecordAsync(ArtifactGraphDbContext db, Accountability who, IReadOnlyList<ItemChange> changes, DateTime now, CancellationToken ct)
    {
        if (await RowsAsync(db, who, changes, ct) is not { } rows)
        {
            return;
        }

        if (db.Database.IsNpgsql())
        {
            await ContextBatches.ExecuteAsync(db, [Command(who, rows, now)], ct);
        }
        else
        {
            await SaveAsync(db, who, rows, now, ct);
        }
    }

    /// <summary>
    /// PostgreSQL only: the statement that writes the rows, for the caller to send in one batch with its own last
    /// statements (a promotion's, under its project lock, where every round trip delays the next promotion); null when
    /// nothing is recorded.
    /// </summary>
    public async Task<NpgsqlBatchCommand?> CommandAsync(ArtifactGraphDbContext db, Accountability who, IReadOnlyList<ItemChange> changes, DateTime now, CancellationToken ct)
        => await RowsAsync(db, who, changes, ct) is { } rows ? Command(who, rows, now) : null;

    /// <summary>Whether a write of <paramref name="collections"/> by <paramref name="who"/> records anything.</summary>
    public async Task<bool> RecordsAnyAsync(ArtifactGraphDbContext db, Accountability who, IEnumerable<string> collections, CancellationToken ct)
    {
        if (!who.IsRecorded)
        {
            return false;
        }

        var settings = await accountability.GetAsync(db, ct);
        return collections.Any(c => CollectionAccountability.Mode(settings, c) is not null);
    }

    private async Task<Rows?> RowsAsync(ArtifactGraphDbContext db, Accountability who, IReadOnlyList<ItemChange> changes, CancellationToken ct)
    {
        if (!who.IsRecorded || !changes.Any(c => c.IsRecorded))
        {
            return null;
        }

        var settings = await accountability.GetAsync(db, ct);
        var rows = new Rows();
        foreach (var change in changes.Where(c => c.IsRecorded))
        {
            var mode = CollectionAccountability.Mode(settings, change.Collection);
            if (mode is not null)
            {
                rows.Add(change, mode == CollectionAccountability.All);
            }
        }

        if (rows.Activity.Count == 0)
        {
            return null;
        }

        rows.LinkParents();
        return rows;
    }

    /// <summary>
    /// One statement, however many rows. A revision's activity and parent are given as positions in the lists and joined
    /// to the drawn ids. Each sequence's name is looked up once per statement (a scalar subquery is an init plan), not
    /// once per row. Positional, typed parameters: Npgsql sends the text as it is, without rewriting it.
    /// </summary>
    private static NpgsqlBatchCommand Command(Accountability who, Rows rows, DateTime now) => new(InsertSql)
    {
        Parameters =
        {
            new NpgsqlParameter<string[]>() { TypedValue = [.. rows.Activity.Select(c => c.Action)] },
            new NpgsqlParameter<string[]>() { TypedValue = [.. rows.Activity.Select(c => c.Collection)] },
            new NpgsqlParameter<string[]>() { TypedValue = [.. rows.Activity.Select(c => c.KeyText)] },
            new NpgsqlParameter<int[]>() { TypedValue = [.. rows.Revisions.Select(r => r.Activity)] },
            new NpgsqlParameter<string?[]>() { TypedValue = [.. rows.Revisions.Select(r => Text(r.Change.Data))], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            new NpgsqlParameter<string?[]>() { TypedValue = [.. rows.Revisions.Select(r => Text(r.Change.Delta))], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            new NpgsqlParameter<int?[]>() { TypedValue = [.. rows.Revisions.Select(r => r.Parent)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer },
            new NpgsqlParameter { Value = (object?)who.UserId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid },
            new NpgsqlParameter<DateTime>() { TypedValue = DateTime.SpecifyKind(now, DateTimeKind.Utc), NpgsqlDbType = NpgsqlDbType.TimestampTz },
            Nullable(Truncate(who.Ip, 50)),
            Nullable(who.UserAgent),
            Nullable(Truncate(who.Origin, 255)),
        },
    };

    private const string InsertSql = """
        WITH activity AS MATERIALIZED (
            SELECT a.ord, nextval((SELECT pg_get_serial_sequence('directus_activity', 'id')))::integer AS id, a.action, a.collection, a.item
            FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS a(action, collection, item, ord)
        ), written AS (
            INSERT INTO directus_activity (id, action, "user", "timestamp", ip, user_agent, collection, item, origin)
            SELECT id, action, $8, $9, $10, $11, collection, item, $12 FROM activity ORDER BY ord
        ), revision AS MATERIALIZED (
            SELECT r.ord, nextval((SELECT pg_get_serial_sequence('directus_revisions', 'id')))::integer AS id, r.activity, r.data, r.delta, r.parent
            FROM unnest($4::integer[], $5::text[], $6::text[], $7::integer[])
                WITH ORDINALITY AS r(activity, data, delta, parent, ord)
        )
        INSERT INTO directus_revisions (id, activity, collection, item, data, delta, parent)
        SELECT r.id, a.id, a.collection, a.item, r.data::json, r.delta::json, p.id
        FROM revision r JOIN activity a ON a.ord = r.activity LEFT JOIN revision p ON p.ord = r.parent
        ORDER BY r.ord
        """;

    private static NpgsqlParameter Nullable(string? text) => new() { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static async Task SaveAsync(ArtifactGraphDbContext db, Accountability who, Rows rows, DateTime now, CancellationToken ct)
    {
        var entries = rows.Activity.Select(change => new ActivityEntry
        {
            Action = change.Action,
            User = who.UserId,
            Timestamp = now,
            Ip = Truncate(who.Ip, 50),
            UserAgent = who.UserAgent,
            Collection = change.Collection,
            Item = change.KeyText,
            Origin = Truncate(who.Origin, 255),
        }).ToList();
        db.AddRange(entries);
        var revisions = rows.Revisions.Select(row => new Revision
        {
            ActivityRef = entries[row.Activity - 1],
            Collection = entries[row.Activity - 1].Collection,
            Item = entries[row.Activity - 1].Item,
            Data = Text(row.Change.Data),
            Delta = Text(row.Change.Delta),
        }).ToList();
        for (var i = 0; i < revisions.Count; i++)
        {
            revisions[i].ParentRef = rows.Revisions[i].Parent is { } parent ? revisions[parent - 1] : null;
        }

        db.AddRange(revisions);

        await db.SaveChangesAsync(ct);
    }

    // Directus writes null for an empty payload.
    private static string? Text(JsonObject? values) => values is null || values.Count == 0 ? null : values.ToJsonString(Json);

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    /// <summary>
    /// The rows to write, in order; a revision names its activity row and its parent revision by position (1-based, as
    /// SQL's ordinality), and its parent is the revision of the change's parent when that one has a revision.
    /// </summary>
    private sealed class Rows
    {
        private readonly Dictionary<ItemChange, int> revisionOf = [];

        public List<ItemChange> Activity { get; } = [];

        public List<(ItemChange Change, int Activity, int? Parent)> Revisions { get; } = [];

        public void Add(ItemChange change, bool withRevision)
        {
            Activity.Add(change);
            var revised = change.Action == ItemChange.Create || (change.Action == ItemChange.Update && change.Delta is { Count: > 0 });
            if (withRevision && revised)
            {
                Revisions.Add((change, Activity.Count, null));
                revisionOf[change] = Revisions.Count;
            }
        }

        /// <summary>Sets each revision's parent; called once all rows are in (a parent may come after its child).</summary>
        public void LinkParents()
        {
            for (var i = 0; i < Revisions.Count; i++)
            {
                var (change, activity, _) = Revisions[i];
                if (change.Parent is { } parent && revisionOf.TryGetValue(parent, out var position))
                {
                    Revisions[i] = (change, activity, position);
                }
            }
        }
    }
}

