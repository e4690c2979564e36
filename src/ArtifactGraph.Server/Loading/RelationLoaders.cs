using System.Runtime.InteropServices;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Items;
using GraphQL.DataLoader;

namespace ArtifactGraph.Server.Loading;

/// <summary>
/// The batch loaders behind every relation: one SQL statement per relation, argument set and wave of the query,
/// whatever the number of parent rows. Loaders live in the request's <see cref="DataLoaderContext"/>.
/// </summary>
public static class RelationLoaders
{
    /// <summary>
    /// The related item of a many-to-one field (null when missing or filtered out by the field's arguments): the item
    /// itself when a join already read it, otherwise a pending batch load.
    /// </summary>
    public static object? LoadOne(ReadContext context, ItemReader reader, CollectionModel target, object key, QueryArgs args)
    {
        var loader = OneLoader(context, reader, target, args);
        return loader.TryGetLoaded(key, out var item) ? item : loader.Load(key);
    }

    /// <summary>
    /// Whether the related items of a many-to-one <paramref name="field"/> read with <paramref name="args"/> could only
    /// give back their keys, so that they are made from the keys without a statement (<see cref="KeyItem"/>): the
    /// arguments select the related primary key alone (no filter, sort, page or search), the caller may read the related
    /// collection, without an item filter, and the database enforces the foreign key
    /// (<see cref="JoinedRelation.ReadsKeyOnly"/>), so a non-null key names a row the caller may read.
    /// </summary>
    public static bool IsKeyOnly(ReadContext context, ItemReader reader, FieldModel field, QueryArgs args)
        => args is { Filter: null, Sort: null, Limit: null, Offset: null, Page: null, Search: null }
            && JoinedRelation.ReadsKeyOnly(field, args.Columns, reader.ForeignKeys)
            && context.Accountability.Access.For(field.Related!, "read") is { ItemFilter: null };

    /// <summary>The related item of a key-only many-to-one (<see cref="IsKeyOnly"/>): the target's entity with its key.</summary>
    public static object KeyItem(CollectionModel target, object key)
    {
        var item = Activator.CreateInstance(target.EntityType)!;
        target.PrimaryKey.Property!.SetValue(item, key);
        return item;
    }

    /// <summary>The batch loader of a many-to-one field's items (by the target's key) for these read arguments.</summary>
    public static BatchLoader<object, object?> OneLoader(ReadContext context, ItemReader reader, CollectionModel target, QueryArgs args)
        => context.Loaders.GetOrAdd($"one|{target.Name}|{args.LoaderKey()}", () => new BatchLoader<object, object?>(
            async (keys, ct) =>
            {
                var rows = await reader.ReadWhereInAsync(target, target.PrimaryKey, keys, args with { Sort = null }, null, context.Accountability.Access, ct);
                Prime(context, reader, args, rows);
                return rows.ToDictionary(r => target.PrimaryKey.Getter(r)!, r => (object?)r);
            },
            missing: null));

    /// <summary>
    /// Hands the items that <paramref name="args"/>' joins read along with <paramref name="rows"/> to the batch loaders
    /// of their many-to-one fields, so resolving those fields issues no statement. Call it with the rows of every
    /// read made with these arguments, before their fields resolve.
    /// </summary>
    public static void Prime(ReadContext context, ItemReader reader, QueryArgs args, IReadOnlyList<object> rows)
    {
        if (!context.PrimesJoinedLoaders)
        {
            return;
        }

        foreach (var join in args.Joins ?? [])
        {
            foreach (var targetArgs in join.Targets)
            {
                var loader = OneLoader(context, reader, join.Field.Related!, targetArgs);
                foreach (var row in rows)
                {
                    if (join.Field.Getter(row) is { } key)
                    {
                        // A key without a joined item has no row the caller may read: the loader would answer null too.
                        loader.Prime(key, join.Field.NavigationGetter(row));
                    }
                }
            }
        }
    }

    /// <summary>The child rows of a one-to-many field, sorted (by the junction's sort field by default) and paged per parent.</summary>
    public static IDataLoaderResult<IReadOnlyList<object>> LoadMany(ReadContext context, ItemReader reader, FieldModel alias, object parentKey, QueryArgs args)
        => ManyLoader(context, reader, alias, args).Load(parentKey);

    /// <summary>The batch loader of a one-to-many field's child rows (by the parent's key) for these read arguments.</summary>
    public static BatchLoader<object, IReadOnlyList<object>> ManyLoader(ReadContext context, ItemReader reader, FieldModel alias, QueryArgs args)
    {
        var child = alias.Related!;
        var back = alias.ReverseField!;
        var window = args.Window(reader.Options.DefaultLimit, reader.Options.MaxLimit);
        return context.Loaders.GetOrAdd($"many|{alias}|{args.LoaderKey()}", () => new BatchLoader<object, IReadOnlyList<object>>(
            async (keys, ct) =>
            {
                var defaultSort = alias.SortField is null ? null : new[] { alias.SortField };
                // The rows are grouped by their parent key, so it is read whatever the selection asks for.
                var rows = await reader.ReadWhereInAsync(child, back, keys, args.WithColumn(back.Property!.Name), defaultSort, context.Accountability.Access, ct);
                Prime(context, reader, args, rows);
                return GroupPages(rows, back, window, keys.Count);
            },
            missing: []));
    }

    /// <summary>
    /// The rows by parent key, in their order, each parent's list cut to the window: one pass, no LINQ grouping, one
    /// dictionary sized for the batch's <paramref name="parents"/>.
    /// </summary>
    private static Dictionary<object, IReadOnlyList<object>> GroupPages(IReadOnlyList<object> rows, FieldModel back, (int Skip, int? Take) window, int parents)
    {
        var groups = new Dictionary<object, IReadOnlyList<object>>(parents);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, back.Getter(row)!, out _);
            ((List<object>)(group ??= new List<object>())).Add(row);
        }

        if (window is not (0, null))
        {
            // Writing through a reference changes no key: the enumeration stays valid.
            foreach (var key in groups.Keys)
            {
                ref var group = ref CollectionsMarshal.GetValueRefOrNullRef(groups, key);
                group = Page((List<object>)group, window);
            }
        }

        return groups;
    }

    /// <summary>How many child rows a one-to-many field has (<c>files_func { count }</c>).</summary>
    public static IDataLoaderResult<int> LoadCount(ReadContext context, ItemReader reader, FieldModel alias, object parentKey)
        => CountLoader(context, reader, alias).Load(parentKey);

    /// <summary>The batch loader of a one-to-many field's row counts (by the parent's key).</summary>
    public static BatchLoader<object, int> CountLoader(ReadContext context, ItemReader reader, FieldModel alias)
        => context.Loaders.GetOrAdd($"count|{alias}", () => new BatchLoader<object, int>(
            (keys, ct) => reader.CountWhereInAsync(alias.Related!, alias.ReverseField!, keys, context.Accountability.Access, ct),
            missing: 0));

    private static List<object> Page(List<object> rows, (int Skip, int? Take) window)
    {
        var skip = Math.Min(window.Skip, rows.Count);
        var count = Math.Min(rows.Count - skip, window.Take ?? int.MaxValue);
        return skip == 0 && count == rows.Count ? rows : rows.GetRange(skip, count);
    }
}
