using System.Text;
using System.Text.Json;

namespace ArtifactGraph.Server.Invalidation;

/// <summary>
/// What a committed write changed: the collection, the action (<c>create</c>, <c>update</c>, <c>delete</c>) and the keys
/// of the items, or null for "all of them" (or not known). It is the message nodes send one another through
/// PostgreSQL's <c>NOTIFY</c>; kept minimal (the keys and the action, not the data): the per-item detail is
/// <see cref="Directus.Write.ItemChange"/>, which maps to it.
/// </summary>
public sealed record ChangeRecord(string Collection, string Action, IReadOnlyList<string>? Keys = null)
{
    /// <summary>NOTIFY refuses payloads of 8000 bytes or more.</summary>
    public const int MaxPayloadBytes = 7_999;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The records of a write's item changes: one per collection and action, with the keys in order.</summary>
    public static IReadOnlyList<ChangeRecord> From(IEnumerable<Directus.Write.ItemChange> changes)
        => changes
            .GroupBy(c => (c.Collection, c.Action))
            .Select(g => new ChangeRecord(g.Key.Collection, g.Key.Action, g.Select(c => c.KeyText).Distinct(StringComparer.Ordinal).ToList()))
            .ToList();

    /// <summary>The record as NOTIFY's payload (JSON); too many keys to fit become "all of them".</summary>
    public string ToPayload()
    {
        var payload = JsonSerializer.Serialize(this, Json);
        return Encoding.UTF8.GetByteCount(payload) <= MaxPayloadBytes || Keys is null ? payload : (this with { Keys = null }).ToPayload();
    }

    /// <summary>
    /// The record as one or more payloads: the keys split into as many records as NOTIFY's limit needs, so every node's
    /// subscribers still learn each key (a key too long for any payload alone makes that record "all of them").
    /// </summary>
    public IEnumerable<string> ToPayloads()
    {
        var whole = JsonSerializer.Serialize(this, Json);
        if (Encoding.UTF8.GetByteCount(whole) <= MaxPayloadBytes || Keys is null)
        {
            yield return whole;
            yield break;
        }

        var overhead = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(this with { Keys = [] }, Json));
        var chunk = new List<string>();
        var size = overhead;
        foreach (var key in Keys)
        {
            var keySize = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(key, Json)) + 1;
            if (chunk.Count > 0 && size + keySize > MaxPayloadBytes)
            {
                yield return (this with { Keys = chunk }).ToPayload();
                chunk = [];
                size = overhead;
            }

            chunk.Add(key);
            size += keySize;
        }

        if (chunk.Count > 0)
        {
            yield return (this with { Keys = chunk }).ToPayload();
        }
    }

    /// <summary>The record a payload holds, or null when it is not one (then a listener must assume anything changed).</summary>
    public static ChangeRecord? Parse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<ChangeRecord>(payload, Json) is { Collection: not null, Action: not null } record ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
