using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Entities;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Directus.Write;

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

    /// <summary>Adds the rows to the context and saves them (one batch of inserts); nothing when nothing is recorded.</summary>
    public async Task RecordAsync(ArtifactGraphDbContext db, Accountability who, IReadOnlyList<ItemChange> changes, DateTime now, CancellationToken ct)
    {
        if (!who.IsRecorded || !changes.Any(c => c.IsRecorded))
        {
            return;
        }

        var settings = await accountability.GetAsync(db, ct);
        var revisions = new Dictionary<ItemChange, Revision>();
        foreach (var change in changes.Where(c => c.IsRecorded))
        {
            var mode = CollectionAccountability.Mode(settings, change.Collection);
            if (mode is null)
            {
                continue;
            }

            var entry = new ActivityEntry
            {
                Action = change.Action,
                User = who.UserId,
                Timestamp = now,
                Ip = Truncate(who.Ip, 50),
                UserAgent = who.UserAgent,
                Collection = change.Collection,
                Item = change.KeyText,
                Origin = Truncate(who.Origin, 255),
            };
            db.Add(entry);
            var revised = change.Action == ItemChange.Create || (change.Action == ItemChange.Update && change.Delta is { Count: > 0 });
            if (mode == CollectionAccountability.All && revised)
            {
                var revision = new Revision
                {
                    ActivityRef = entry,
                    Collection = change.Collection,
                    Item = change.KeyText,
                    Data = Text(change.Data),
                    Delta = Text(change.Delta),
                };
                revisions[change] = revision;
                db.Add(revision);
            }
        }

        foreach (var (change, revision) in revisions)
        {
            if (change.Parent is { } parent && revisions.TryGetValue(parent, out var parentRevision))
            {
                revision.ParentRef = parentRevision;
            }
        }

        await db.SaveChangesAsync(ct);
    }

    // Directus writes null for an empty payload.
    private static string? Text(JsonObject? values) => values is null || values.Count == 0 ? null : values.ToJsonString(Json);

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
