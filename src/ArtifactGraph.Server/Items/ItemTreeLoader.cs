using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Loading;

namespace ArtifactGraph.Server.Items;

/// <summary>
/// Loads an <see cref="ItemSelection"/> for a set of rows: every relation of a level for all rows at once through the
/// request's batch loaders (one statement per relation and argument set, whatever the number of rows), then the next
/// level. The same loaders GraphQL's resolvers use, so the same statements and, for the same caller, the same rows.
/// </summary>
public static class ItemTreeLoader
{
    public static async Task LoadAsync(ItemSelection selection, IReadOnlyList<object> rows, ReadContext context, ItemReader reader, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        foreach (var field in selection.Entries)
        {
            switch (field.Kind)
            {
                case ItemFieldKind.JoinedManyToOne:
                {
                    var items = new List<object>();
                    foreach (var row in rows)
                    {
                        if (field.Field!.NavigationGetter(row) is { } item)
                        {
                            items.Add(item);
                        }
                    }

                    await LoadAsync(field.Child!, items, context, reader, cancellationToken);
                    break;
                }

                case ItemFieldKind.ManyToOne:
                {
                    if (!KeysOnly(field, rows, context, reader))
                    {
                        var loader = RelationLoaders.OneLoader(context, reader, field.Field!.Related!, field.Args);
                        await LoadNewAsync(loader, field.Items, rows, field.Field.Getter, null, cancellationToken);
                    }

                    var items = new List<object>(field.Items.Count);
                    foreach (var item in field.Items.Values)
                    {
                        if (item is not null)
                        {
                            items.Add(item);
                        }
                    }

                    await LoadAsync(field.Child!, items, context, reader, cancellationToken);
                    break;
                }

                case ItemFieldKind.Count:
                {
                    var loader = RelationLoaders.CountLoader(context, reader, field.Field!);
                    var counts = new Dictionary<object, int>();
                    await LoadNewAsync(loader, counts, rows, selection.Collection.PrimaryKey.Getter, 0, cancellationToken);
                    foreach (var (key, count) in counts)
                    {
                        field.Items[key] = count;
                    }

                    break;
                }

                case ItemFieldKind.OneToMany:
                {
                    var loader = RelationLoaders.ManyLoader(context, reader, field.Field!, field.Args);
                    var lists = await LoadNewAsync(loader, field.Lists, rows, selection.Collection.PrimaryKey.Getter, [], cancellationToken);
                    var count = 0;
                    foreach (var list in lists)
                    {
                        count += list.Count;
                    }

                    var children = new List<object>(count);
                    foreach (var list in lists)
                    {
                        children.AddRange(list);
                    }

                    await LoadAsync(field.Child!, children, context, reader, cancellationToken);
                    break;
                }
            }
        }
    }

    /// <summary>
    /// Fills a many-to-one field's items from the rows' keys when reading them could only give the keys back
    /// (<see cref="RelationLoaders.IsKeyOnly"/>); false (nothing filled) otherwise.
    /// </summary>
    private static bool KeysOnly(ItemField field, IReadOnlyList<object> rows, ReadContext context, ItemReader reader)
    {
        if (!RelationLoaders.IsKeyOnly(context, reader, field.Field!, field.Args))
        {
            return false;
        }

        foreach (var row in rows)
        {
            if (field.Field!.Getter(row) is { } key && !field.Items.ContainsKey(key))
            {
                field.Items[key] = RelationLoaders.KeyItem(field.Field.Related!, key);
            }
        }

        return true;
    }

    /// <summary>
    /// Loads, in one call, the values of the rows' keys (<paramref name="keyOf"/>; null keys skipped) that
    /// <paramref name="known"/> does not hold yet, each once, and adds them to it. Returns the new values, in order.
    /// </summary>
    private static async Task<TValue[]> LoadNewAsync<TValue>(
        BatchLoader<object, TValue> loader, Dictionary<object, TValue> known, IReadOnlyList<object> rows, Func<object, object?> keyOf, TValue placeholder,
        CancellationToken cancellationToken)
    {
        var keys = new List<object>(rows.Count);
        known.EnsureCapacity(known.Count + rows.Count);
        foreach (var row in rows)
        {
            // The placeholder marks a key as taken, so a key shared by several rows is loaded once.
            if (keyOf(row) is { } key && known.TryAdd(key, placeholder))
            {
                keys.Add(key);
            }
        }

        var values = await loader.LoadAllAsync(keys, cancellationToken);
        for (var i = 0; i < keys.Count; i++)
        {
            known[keys[i]] = values[i];
        }

        return values;
    }
}
