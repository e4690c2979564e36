using System.Collections.Concurrent;
using System.Linq.Expressions;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Server.Directus.Write;

/// <summary>The row-set operations the writer needs on any collection, as LINQ on its <c>DbSet</c> (parameterised SQL).</summary>
internal abstract class Rows
{
    private static readonly ConcurrentDictionary<Type, Rows> ByType = new();

    public static Rows For(CollectionModel collection)
        => ByType.GetOrAdd(collection.EntityType, t => (Rows)Activator.CreateInstance(typeof(Rows<>).MakeGenericType(t))!);

    /// <summary>The rows (tracked) whose <paramref name="field"/> is one of <paramref name="keys"/>.</summary>
    public abstract Task<List<object>> WhereInAsync(ArtifactGraphDbContext db, FieldModel field, IReadOnlyList<object> keys, CancellationToken ct);

    /// <summary>How many of the items with these keys match the filter (a permission's item filter; null: all).</summary>
    public abstract Task<int> CountAsync(
        ArtifactGraphDbContext db, CollectionModel collection, IReadOnlyList<object> keys, FilterTranslator filters, IReadOnlyDictionary<string, object?>? filter, CancellationToken ct);

    /// <summary>Those of <paramref name="keys"/> that are keys of rows, in their order.</summary>
    public abstract Task<List<object>> ExistingAsync(ArtifactGraphDbContext db, CollectionModel collection, IReadOnlyList<object> keys, CancellationToken ct);

    /// <summary>Deletes the rows whose primary key is one of <paramref name="keys"/>, in one statement.</summary>
    public abstract Task<int> DeleteAsync(ArtifactGraphDbContext db, CollectionModel collection, IReadOnlyList<object> keys, CancellationToken ct);
}

internal sealed class Rows<T> : Rows
    where T : class
{
    public override async Task<List<object>> WhereInAsync(ArtifactGraphDbContext db, FieldModel field, IReadOnlyList<object> keys, CancellationToken ct)
        => keys.Count == 0 ? [] : [.. await db.Set<T>().Where(In(field, keys)).ToListAsync(ct)];

    public override Task<int> CountAsync(
        ArtifactGraphDbContext db, CollectionModel collection, IReadOnlyList<object> keys, FilterTranslator filters, IReadOnlyDictionary<string, object?>? filter, CancellationToken ct)
    {
        var query = db.Set<T>().AsNoTracking().Where(In(collection.PrimaryKey, keys));
        if (filters.Build<T>(collection, filter, AccessRules.Admin) is { } predicate)
        {
            query = query.Where(predicate);
        }

        return query.CountAsync(ct);
    }

    public override async Task<List<object>> ExistingAsync(ArtifactGraphDbContext db, CollectionModel collection, IReadOnlyList<object> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var x = Expression.Parameter(typeof(T), "x");
        var key = Expression.Lambda<Func<T, object>>(Expression.Convert(Expression.Property(x, collection.PrimaryKey.Property!), typeof(object)), x);
        var found = (await db.Set<T>().AsNoTracking().Where(In(collection.PrimaryKey, keys)).Select(key).ToListAsync(ct)).ToHashSet();
        return keys.Where(found.Contains).Distinct().ToList();
    }

    public override Task<int> DeleteAsync(ArtifactGraphDbContext db, CollectionModel collection, IReadOnlyList<object> keys, CancellationToken ct)
        => keys.Count == 0 ? Task.FromResult(0) : db.Set<T>().Where(In(collection.PrimaryKey, keys)).ExecuteDeleteAsync(ct);

    private static Expression<Func<T, bool>> In(FieldModel field, IReadOnlyList<object> keys)
    {
        var x = Expression.Parameter(typeof(T), "x");
        return Expression.Lambda<Func<T, bool>>(Expressions.In(Expression.Property(x, field.Property!), keys), x);
    }
}
