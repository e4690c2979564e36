using System.Text.Json.Nodes;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Tests.Activity;

/// <summary>
/// The activity and revision rows written after a given activity id, in the shape of the recorded Directus fixture
/// (<c>Fixtures/directus-activity.json</c>): ids and timestamps left out, a revision's activity and parent as indexes
/// into the lists, timestamps inside data and delta replaced by a marker.
/// </summary>
internal static class ActivityRows
{
    private static readonly string[] Moments = ["date_created", "date_updated", "modified_on", "uploaded_on", "approved_at"];

    public static async Task<int> LastIdAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.Activity.MaxAsync(a => (int?)a.Id) ?? 0;
    }

    public static async Task<JsonObject> AfterAsync(TestDatabase database, int after)
    {
        await using var db = database.CreateContext();
        var activity = await db.Activity.AsNoTracking().Where(a => a.Id > after).OrderBy(a => a.Id).ToListAsync();
        var ids = activity.Select(a => a.Id).ToList();
        var revisions = (await db.Revisions.AsNoTracking().Where(r => ids.Contains(r.Activity)).ToListAsync())
            .OrderBy(r => ids.IndexOf(r.Activity)).ToList();
        var revisionIds = revisions.Select(r => r.Id).ToList();
        return new JsonObject
        {
            ["activity"] = new JsonArray(activity.Select(a => (JsonNode)new JsonObject
            {
                ["action"] = a.Action,
                ["user"] = a.User?.ToString("D"),
                ["ip"] = a.Ip,
                ["user_agent"] = a.UserAgent,
                ["collection"] = a.Collection,
                ["item"] = a.Item,
                ["origin"] = a.Origin,
            }).ToArray()),
            ["revisions"] = new JsonArray(revisions.Select(r => (JsonNode)new JsonObject
            {
                ["activity"] = ids.IndexOf(r.Activity),
                ["collection"] = r.Collection,
                ["item"] = r.Item,
                ["data"] = r.Data is null ? null : JsonNode.Parse(r.Data),
                ["delta"] = r.Delta is null ? null : JsonNode.Parse(r.Delta),
                ["parent"] = r.Parent is { } p ? revisionIds.IndexOf(p) : null,
            }).ToArray()),
        };
    }

    /// <summary>The rows as text to compare: object keys sorted, timestamps inside data and delta replaced.</summary>
    public static string Normalize(JsonNode? rows) => Sorted(rows, inValues: false)?.ToJsonString(new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null";

    private static JsonNode? Sorted(JsonNode? node, bool inValues) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key,
            inValues && Moments.Contains(p.Key) && p.Value is not null ? JsonValue.Create("<timestamp>") : Sorted(p.Value, inValues || p.Key is "data" or "delta")))),
        JsonArray a => new JsonArray(a.Select(x => Sorted(x, inValues)).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
