using System.Collections;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Items;

/// <summary>
/// A payload as Directus's REST and WebSocket clients send it, in the shape the write session takes (GraphQL's input
/// types already give that shape): a many-to-one value given as a bare key is <c>{ key }</c>, a one-to-many list of bare
/// keys is a list of <c>{ key }</c> objects, and a one-to-many <c>{ create, update, delete }</c> object is a
/// <see cref="RelationChanges"/>. Nested items are normalized the same way, relation by relation.
/// </summary>
public static class ItemPayload
{
    public static IDictionary<string, object?> Normalize(CollectionModel collection, IDictionary<string, object?> data)
    {
        var result = new Dictionary<string, object?>(data.Count, StringComparer.Ordinal);
        foreach (var (name, raw) in data)
        {
            var field = collection.Field(name);
            result[name] = field?.Kind switch
            {
                FieldKind.ManyToOne => Related(field.Related!, raw),
                FieldKind.OneToMany => Children(field, raw),
                _ => raw,
            };
        }

        return result;
    }

    /// <summary>A related item: a bare key is the item with that key, an object is normalized in turn.</summary>
    private static object? Related(CollectionModel related, object? raw) => raw switch
    {
        null => null,
        IDictionary<string, object?> item => Normalize(related, item),
        string or IFormattable => new Dictionary<string, object?>(StringComparer.Ordinal) { [related.PrimaryKey.Name] = raw },
        _ => raw, // left for the write session to refuse
    };

    private static object? Children(FieldModel alias, object? raw) => raw switch
    {
        IDictionary<string, object?> changes when changes.Keys.All(k => k is "create" or "update" or "delete") => new RelationChanges(
            List(changes, "create").Select(item => Related(alias.Related!, item)).ToList(),
            List(changes, "update").Select(item => Related(alias.Related!, item)).ToList(),
            List(changes, "delete")),
        IList list => list.Cast<object?>().Select(item => Related(alias.Related!, item)).ToList(),
        _ => raw,
    };

    private static List<object?> List(IDictionary<string, object?> changes, string name) => (changes.TryGetValue(name, out var value) ? value : null) switch
    {
        null => [],
        IList list => list.Cast<object?>().ToList(),
        _ => throw DirectusException.InvalidPayload($"\"{name}\" has to be an array"),
    };
}

/// <summary>
/// Directus's detailed one-to-many update: rows to create and update (each linked to the parent) and keys of rows to
/// let go (junction rows are deleted); the parent's other rows stay as they are.
/// </summary>
public sealed record RelationChanges(IReadOnlyList<object?> Create, IReadOnlyList<object?> Update, IReadOnlyList<object?> Delete);
