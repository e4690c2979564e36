using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ArtifactGraph.Data.Import;

/// <summary>Orders collections so that every row's foreign keys point at rows already inserted.</summary>
internal static class ImportOrder
{
    /// <summary>
    /// Topological order of the entity types by their foreign keys (principal first); self references
    /// are ordered row by row instead. Ties keep a stable order: system collections, then Directus order.
    /// </summary>
    public static IReadOnlyList<IEntityType> Sort(IEnumerable<IEntityType> entityTypes)
    {
        var pending = entityTypes
            .OrderBy(e => e.FindAnnotation(DirectusAnnotations.System) is null)
            .ThenBy(e => e.FindAnnotation(DirectusAnnotations.CollectionOrder)?.Value as int? ?? int.MaxValue)
            .ThenBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
        var sorted = new List<IEntityType>(pending.Count);
        while (pending.Count > 0)
        {
            var next = pending.FirstOrDefault(e => e.GetForeignKeys().All(fk =>
                fk.PrincipalEntityType == e || !pending.Contains(fk.PrincipalEntityType)));
            if (next is null)
            {
                throw new InvalidOperationException(
                    "The model has a foreign-key cycle between " + string.Join(", ", pending.Select(e => e.GetTableName())));
            }

            sorted.Add(next);
            pending.Remove(next);
        }

        return sorted;
    }

    /// <summary>Puts rows whose self-referencing key (e.g. a folder's parent) points into the batch after their parent.</summary>
    public static IReadOnlyList<T> SortSelfReferences<T>(IReadOnlyList<T> rows, Func<T, object?> key, Func<T, IEnumerable<object>> parents)
    {
        var inBatch = rows.Select(key).Where(k => k is not null).ToHashSet();
        var emitted = new HashSet<object?>();
        var result = new List<T>(rows.Count);
        var remaining = rows.ToList();
        while (remaining.Count > 0)
        {
            var ready = remaining.Where(r => parents(r).All(p => !inBatch.Contains(p) || emitted.Contains(p))).ToList();
            if (ready.Count == 0)
            {
                // A cycle: insert in document order and let the database name the failing row.
                ready = remaining;
            }

            foreach (var row in ready)
            {
                result.Add(row);
                emitted.Add(key(row));
                remaining.Remove(row);
            }
        }

        return result;
    }
}
