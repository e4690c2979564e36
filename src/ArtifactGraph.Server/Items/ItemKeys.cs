using System.Globalization;
using ArtifactGraph.Server.Directus.Model;

namespace ArtifactGraph.Server.Items;

/// <summary>
/// The one rule for an item's key, whatever carries it (a GraphQL <c>ID</c>, a REST path segment, a JSON body, a
/// WebSocket message): a UUID key in its canonical 8-4-4-4-12 form, an integer key in decimal digits, a text key as is.
/// Anything else is no key at all (null): the callers answer FORBIDDEN, as Directus never tells a malformed key from a
/// missing item.
/// </summary>
public static class ItemKeys
{
    /// <summary>The key a text stands for, or null.</summary>
    public static object? Parse(CollectionModel collection, string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        var type = Nullable.GetUnderlyingType(collection.PrimaryKey.Property!.PropertyType) ?? collection.PrimaryKey.Property!.PropertyType;
        if (type == typeof(Guid))
        {
            return Guid.TryParseExact(raw, "D", out var g) ? g : null;
        }

        if (type == typeof(int))
        {
            return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;
        }

        return raw;
    }

    /// <summary>The key a value stands for (text, or a number as GraphQL's <c>ID</c> and JSON deliver it), or null.</summary>
    public static object? From(CollectionModel collection, object? raw) => raw switch
    {
        null => null,
        string s => Parse(collection, s),
        IFormattable f => Parse(collection, f.ToString(null, CultureInfo.InvariantCulture)),
        _ => null,
    };
}
