using System.Collections.Concurrent;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Directus.Model;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>
/// Reads items for the GraphQL resolvers and batch loaders. Every method is one SQL statement on a context of its
/// own (from the pooled factory), so resolvers that GraphQL.NET runs in parallel never share a DbContext.
/// </summary>
public sealed class ItemReader(IDbContextFactory<ArtifactGraphDbContext> factory, ReadOptions options)
{
    private readonly ConcurrentDictionary<Type, TypedReader> readers = new();

    public ReadOptions Options { get; } = options;

    internal FilterTranslator Filters { get; } = new(options.MaxRelationalDepth);

    internal SortTranslator Sorts { get; } = new(options.MaxRelationalDepth);

    /// <summary>How many read shapes have an EF Core compiled query (see <see cref="CompiledShapes{T}"/>).</summary>
    internal int CompiledShapeCount => readers.Values.Sum(r => r.CompiledShapeCount);

    /// <summary>A root list: filter, search, sort, then the page.</summary>
    public async Task<IReadOnlyList<object>> ReadManyAsync(CollectionModel collection, QueryArgs args, AccessRules access, CancellationToken cancellationToken)
    {
        var window = args.Window(Options.DefaultLimit, Options.MaxLimit);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await For(collection).ReadMany(this, db, collection, args, window, access, cancellationToken);
    }

    /// <summary>All rows whose <paramref name="keyField"/> is one of <paramref name="keys"/>, filtered and sorted by <paramref name="args"/>.</summary>
    public async Task<IReadOnlyList<object>> ReadWhereInAsync(
        CollectionModel collection, FieldModel keyField, IReadOnlyList<object> keys, QueryArgs args, IReadOnlyList<string>? defaultSort, AccessRules access,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await For(collection).ReadWhereIn(this, db, collection, keyField, keys, args, defaultSort, access, cancellationToken);
    }

    /// <summary>
    /// The items with these keys, shaped by the read arguments of a mutation (Directus's <c>readMany(keys, query)</c>):
    /// the limit defaults to the number of keys.
    /// </summary>
    public async Task<IReadOnlyList<object>> ReadKeysAsync(CollectionModel collection, IReadOnlyList<object> keys, QueryArgs args, AccessRules access, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var (skip, take) = (args with { Limit = args.Limit ?? keys.Count }).Window(keys.Count, null);
        var rows = await ReadWhereInAsync(collection, collection.PrimaryKey, keys, args, null, access, cancellationToken);
        return rows.Skip(skip).Take(take ?? int.MaxValue).ToList();
    }

    /// <summary>The number of rows per value of <paramref name="keyField"/> among <paramref name="keys"/>.</summary>
    public async Task<IReadOnlyDictionary<object, int>> CountWhereInAsync(
        CollectionModel collection, FieldModel keyField, IReadOnlyList<object> keys, AccessRules access, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await For(collection).CountWhereIn(this, db, collection, keyField, keys, access, cancellationToken);
    }

    /// <summary>One grouped query: the group keys followed by the requested aggregates, per group.</summary>
    public async Task<List<object?[]>> AggregateAsync(
        CollectionModel collection, QueryArgs args, IReadOnlyList<GroupSpec> groups, IReadOnlyList<AggregateSpec> aggregates, AccessRules access,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await For(collection).Aggregate(this, db, collection, args, groups, aggregates, access, cancellationToken);
    }


    private TypedReader For(CollectionModel collection)
        => readers.GetOrAdd(collection.EntityType, t => (TypedReader)Activator.CreateInstance(typeof(TypedReader<>).MakeGenericType(t))!);
}
