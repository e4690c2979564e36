using System.Globalization;
using System.Text.Json.Nodes;

namespace ArtifactGraph.Server.Directus.Write;

/// <summary>
/// One item a write created, updated or deleted: the single record the write path produces for every item it touches
/// (nested items and junction rows included), in the order Directus finishes them (an item after the items its write
/// caused). It feeds the activity and revision rows (<see cref="Activity.ActivityRecorder"/>) and the change records
/// sent to the other nodes (<see cref="Invalidation.ChangeRecord.From"/>).
/// </summary>
public sealed class ItemChange(string collection, string action, ItemChange? parent)
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";

    public string Collection { get; } = collection;

    /// <summary><c>create</c>, <c>update</c> or <c>delete</c>.</summary>
    public string Action { get; } = action;

    /// <summary>The item's primary key (null only while its create is under way).</summary>
    public object? Key { get; set; }

    /// <summary>The text of the key, as <c>directus_activity.item</c> and a change record hold it.</summary>
    public string KeyText => Key switch
    {
        Guid g => g.ToString("D"),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other?.ToString() ?? "",
    };

    /// <summary>
    /// The fields written, as Directus reads them (relational fields aside on a create): a create's payload with its
    /// presets, an update's changes with what the server set (<c>date-updated</c>…). Null for a delete.
    /// </summary>
    public JsonObject? Delta { get; set; }

    /// <summary>An update's item after the write (its non-relational fields); a create's equals <see cref="Delta"/>.</summary>
    public JsonObject? Data { get; set; }

    /// <summary>The item whose write caused this one (a nested write), or null.</summary>
    public ItemChange? Parent { get; } = parent;

    /// <summary>
    /// False for rows the model's delete rules changed (cascades, references set to null): on a database Directus manages
    /// its foreign keys do that, and Directus records nothing for them. Still a change (subscriptions, caches).
    /// </summary>
    public bool IsRecorded { get; init; } = true;
}
