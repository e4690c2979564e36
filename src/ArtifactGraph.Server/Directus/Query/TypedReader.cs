using System.Linq.Expressions;
using System.Reflection;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Directus.Model;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Server.Directus.Query;

internal abstract class TypedReader
{
    public abstract int CompiledShapeCount { get; }

    public abstract Task<IReadOnlyList<object>> ReadMany(
        ItemReader reader, ArtifactGraphDbContext db, CollectionModel collection, QueryArgs args, (int Skip, int? Take) window, AccessRules access, CancellationToken ct);

    public abstract Task<IReadOnlyList<object>> ReadBatch(
        ItemReader reader, ArtifactGraphDbContext db, CollectionModel collection, QueryArgs args, int skip, int take, KeysetOrder? order, KeysetCursor? after,
        AccessRules access, CancellationToken ct);

    public abstract Task<IReadOnlyList<object>> ReadWhereIn(
        ItemReader reader, ArtifactGraphDbContext db, CollectionModel collection, FieldModel keyField, IReadOnlyList<object> keys,
        QueryArgs args, IReadOnlyList<string>? defaultSort, AccessRules access, CancellationToken ct);

    public abstract Task<IReadOnlyDictionary<object, int>> CountWhereIn(
        ItemReader reader, ArtifactGraphDbContext db, CollectionModel collection, FieldModel keyField, IReadOnlyList<object> keys, AccessRules access, CancellationToken ct);

    public abstract Task<List<object?[]>> Aggregate(
        ItemReader reader, ArtifactGraphDbContext db, CollectionModel collection, QueryArgs args,
        IReadOnlyList<GroupSpec> groups, IReadOnlyList<AggregateSpec> aggregates, AccessRules access, CancellationToken ct);
}

/// <summary>The typed half of <see cref="ItemReader"/>: LINQ over <c>DbSet&lt;T&gt;</c>.</summary>
/// <param name="budget">The server's compiled shapes, shared by every collection's reader.</param>
internal sealed class TypedReader<T>(ShapeBudget budget) : TypedReader
    where T : class
{
    private static readonly MethodInfo CountByMethod = typeof(TypedReader<T>).GetMethod(nameof(CountBy), BindingFlags.NonPublic | BindingFlags.Static)!;

    public override async Task<IReadOnlyList<object>> ReadMany(
        ItemReader reader, ArtifactGraphDbContext db, CollectionModel collection, QueryArgs args, (int Skip, int? Take) window, AccessRules access, CancellationToken ct)
    {
        var filters = Predicates.Of(reader, collection, args, access);
        if (reader.Options.CompiledQueries && CompiledShapes<T>.Cacheable(collection, args, access) && FilterShape.Of(filters.Permitted, filters.Filter) is { } shape)
        {
            var key = $"many\n{collection.Name}\n{window.Skip}\n{window.Take}\n{db.IsSqlite}\n{access.SchemaKey}\n{args.ShapeKey()}\n{shape.Key}";
            if (Compiled.Get(key, () => CompileMany(reader, db, collection, args, window, access, filters, shape)) is { } compiled)
            {
                return await ToListAsync(compiled(db, [], shape.Values), ct);
            }
        }

        return await BuildMany(reader, db.Set<T>(), db.IsSqlite, collection, args, window, access, filters).ToListAsync(ct);
    }

    /// <summary>
    /// A batch of a list: built as <see cref="ReadMany"/> builds the list, over the rows after the keyset cursor. The
    /// first batch (no cursor) is a page of the list, compiled as one; a later one is not compiled.
    /// </summary>
    public override async Task<IReadOnlyList<object>> ReadBatch(
        ItemReader reader, ArtifactGraphDbContext db, CollectionModel collection, QueryArgs args, int skip, int take, KeysetOrder? order, KeysetCursor? after,
        AccessRules access, CancellationToken ct)
    {
        if (after is null)
        {
            return await ReadMany(reader, db, collection, args, (skip, take), access, ct);
        }

        IQueryable<T> set = db.Set<T>();
        if (order?.Where(db.Set<T>(), collection.PrimaryKey, after.Value) is { } where)
        {
            set = set.Where(where);
        }

        return await BuildMany(reader, set, db.IsSqlite, collection, args, (skip, take), access, Predicates.Of(reader, collection, args, access)).ToListAsync(ct);
    }

    public override async Task<IReadOnlyList<object>> ReadWhereIn(
        ItemReader reader, ArtifactGraphDbContext db, CollectionModel collection, FieldModel keyField, IReadOnlyList<object> keys,
        QueryArgs args, IReadOnlyList<string>? defaultSort, AccessRules access, CancellationToken ct)
    {
        var filters = Predicates.Of(reader, collection, args, access);
        if (reader.Options.CompiledQueries && CompiledShapes<T>.Cacheable(collection, args, access) && (!db.IsSqlite || keys.Count <= Expressions.MaxExpandedList)
            && FilterShape.Of(filters.Permitted, filters.Filter) is { } shape)
        {
            var key = $"in\n{collection.Name}\n{keyField.Name}\n{(defaultSort is null ? "" : string.Join(',', defaultSort))}\n{db.IsSqlite}\n{access.SchemaKey}\n{args.ShapeKey()}\n{shape.Key}";
            if (Compiled.Get(key, () => CompileWhereIn(reader, db, collection, keyField, args, defaultSort, access, filters, shape)) is { } compiled)
            {
                return await ToListAsync(compiled(db, keys, shape.Values), ct);
            }
        }

        return await BuildWhereIn(reader, db.Set<T>(), db.IsSqlite, collection, keyField, KeyIn(keyField, keys), args, defaultSort, access, filters).ToListAsync(ct);
    }

    private static async Task<IReadOnlyList<object>> ToListAsync(IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        var list = new List<T>();
        await foreach (var row in rows.WithCancellation(ct))
        {
            list.Add(row);
        }

        return list;
    }

    private static IQueryable<T> BuildMany(
        ItemReader reader, IQueryable<T> set, bool isSqlite, CollectionModel collection, QueryArgs args, (int Skip, int? Take) window, AccessRules access,
        Predicates filters)
    {
        var query = Filtered(set, collection, args, access, filters);
        query = reader.Sorts.Apply(query, collection, args.Sort, isSqlite, access);
        // The page goes into the SQL as literals (EF.Constant), not parameters: for a prepared statement with a LIMIT
        // parameter, PostgreSQL's generic plan guesses a tenth of the table and may hash-join all of a related table to
        // read 100 rows (measured at 10k versions: 1.2 ms instead of 0.3 ms for the first query of perf-directus.md).
        if (window.Skip > 0)
        {
            query = Page(query, SkipMethod, window.Skip);
        }

        if (window.Take is { } take)
        {
            query = Page(query, TakeMethod, take);
        }

        return Project(reader, query, args.Columns, args.Joins);
    }

    private static IQueryable<T> BuildWhereIn(
        ItemReader reader, IQueryable<T> set, bool isSqlite, CollectionModel collection, FieldModel keyField, Expression<Func<T, bool>> keyIn,
        QueryArgs args, IReadOnlyList<string>? defaultSort, AccessRules access, Predicates filters)
    {
        var query = Filtered(set, collection, args, access, filters).Where(keyIn);
        // The caller's sort names only fields it may read; the junction's default sort field is the server's choice.
        query = args.Sort is { Count: > 0 }
            ? reader.Sorts.Apply(query, collection, args.Sort, isSqlite, access, keyField.Name)
            : reader.Sorts.Apply(query, collection, defaultSort, isSqlite, AccessRules.Admin, keyField.Name);
        return Project(reader, query, args.Columns, args.Joins);
    }

    /// <summary>
    /// The EF Core compiled query of a root list's shape, built by the same code as the uncompiled query, from
    /// <c>context.Set&lt;T&gt;()</c> instead of one context's set and with the filters' values as its parameters (see
    /// <see cref="CompiledShapes{T}"/>).
    /// </summary>
    private static CompiledShapes<T>.Query CompileMany(
        ItemReader reader, ArtifactGraphDbContext db, CollectionModel collection, QueryArgs args, (int Skip, int? Take) window, AccessRules access,
        Predicates filters, FilterShape shape)
    {
        var query = BuildMany(reader, db.Set<T>(), db.IsSqlite, collection, args, window, access, filters);
        return CompiledShapes<T>.Compile(query.Expression, shape, keys: null);
    }

    /// <summary>The compiled query of a batch load's shape: as <see cref="CompileMany"/>, with the keys as its first parameter.</summary>
    private static CompiledShapes<T>.Query CompileWhereIn(
        ItemReader reader, ArtifactGraphDbContext db, CollectionModel collection, FieldModel keyField, QueryArgs args, IReadOnlyList<string>? defaultSort, AccessRules access,
        Predicates filters, FilterShape shape)
    {
        var keyType = Nullable.GetUnderlyingType(keyField.Property!.PropertyType) ?? keyField.Property!.PropertyType;
        var keys = Expression.Parameter(typeof(List<>).MakeGenericType(keyType), "keys");
        var x = Expression.Parameter(typeof(T), "x");
        var keyIn = Expression.Lambda<Func<T, bool>>(Expressions.KeyIn(Expression.Property(x, keyField.Property!), keys), x);
        var query = BuildWhereIn(reader, db.Set<T>(), db.IsSqlite, collection, keyField, keyIn, args, defaultSort, access, filters);
        return CompiledShapes<T>.Compile(query.Expression, shape, keys);
    }

    /// <summary>This reader's compiled queries, by shape.</summary>
    private CompiledShapes<T> Compiled { get; } = new(budget);

    public override int CompiledShapeCount => Compiled.Count;

    public override Task<IReadOnlyDictionary<object, int>> CountWhereIn(
        ItemReader reader, ArtifactGraphDbContext db, CollectionModel collection, FieldModel keyField, IReadOnlyList<object> keys, AccessRules access, CancellationToken ct)
    {
        var query = Filtered(reader, db, collection, QueryArgs.None, access).Where(KeyIn(keyField, keys));
        var x = Expression.Parameter(typeof(T), "x");
        var key = Expression.Lambda(Expression.Property(x, keyField.Property!), x);
        var method = CountByMethod.MakeGenericMethod(keyField.Property!.PropertyType);
        return (Task<IReadOnlyDictionary<object, int>>)method.Invoke(null, [query, key, ct])!;
    }

    public override Task<List<object?[]>> Aggregate(
        ItemReader reader, ArtifactGraphDbContext db, CollectionModel collection, QueryArgs args,
        IReadOnlyList<GroupSpec> groups, IReadOnlyList<AggregateSpec> aggregates, AccessRules access, CancellationToken ct)
        => AggregateQuery.Build(Filtered(reader, db, collection, args, access), groups, aggregates).ToListAsync(ct);

    private static async Task<IReadOnlyDictionary<object, int>> CountBy<TKey>(IQueryable<T> query, Expression<Func<T, TKey>> key, CancellationToken ct)
    {
        var rows = await query.GroupBy(key).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return rows.Where(r => r.Key is not null).ToDictionary(r => (object)r.Key!, r => r.Count);
    }

    /// <summary>
    /// Reads only the columns the selection needs: <c>x => new T { Id = x.Id, … }</c>, which EF Core turns into a
    /// SELECT of those columns (a file row has 26; a query usually wants two or three). Each joined relation adds
    /// <c>Nav = x.Nav == null ? null : new U { … }</c>, a LEFT JOIN reading the related item's columns too, or, for a
    /// related item that is only its key under an enforced foreign key, <c>Nav = x.NavId == null ? null : new U { Id =
    /// x.NavId }</c>, no join (<see cref="JoinedRelation.IsKeyOnly"/>).
    /// </summary>
    private static IQueryable<T> Project(ItemReader reader, IQueryable<T> query, IReadOnlyList<string>? columns, IReadOnlyList<JoinedRelation>? joins)
    {
        if (columns is null)
        {
            return query;
        }

        var x = Expression.Parameter(typeof(T), "x");
        var bindings = columns.Select(name => typeof(T).GetProperty(name)!).Select(p => (MemberBinding)Expression.Bind(p, Expression.Property(x, p))).ToList();
        foreach (var join in joins ?? [])
        {
            var navigation = join.Field.Navigation!;
            var type = navigation.PropertyType;
            var none = Expression.Constant(null, type);
            if (join.IsKeyOnly(reader.ForeignKeys))
            {
                var foreignKey = Expression.Property(x, join.Field.Property!);
                var key = type.GetProperty(join.Columns[0])!;
                var keyOnly = Expression.MemberInit(
                    Expression.New(type),
                    Expression.Bind(key, foreignKey.Type == key.PropertyType ? foreignKey : Expression.Convert(foreignKey, key.PropertyType)));
                bindings.Add(Expression.Bind(navigation, foreignKey.Type.IsValueType && Nullable.GetUnderlyingType(foreignKey.Type) is null
                    ? keyOnly
                    : Expression.Condition(Expression.Equal(foreignKey, Expression.Constant(null, foreignKey.Type)), none, keyOnly)));
                continue;
            }

            var related = Expression.Property(x, navigation);
            var item = Expression.MemberInit(
                Expression.New(type),
                join.Columns.Select(name => type.GetProperty(name)!).Select(p => Expression.Bind(p, Expression.Property(related, p))));
            bindings.Add(Expression.Bind(navigation, Expression.Condition(Expression.Equal(related, none), none, item)));
        }

        return query.Select(Expression.Lambda<Func<T, T>>(Expression.MemberInit(Expression.New(typeof(T)), bindings), x));
    }

    /// <summary>The rows the caller may read (its permission filter), then its filter and search.</summary>
    private static IQueryable<T> Filtered(ItemReader reader, ArtifactGraphDbContext db, CollectionModel collection, QueryArgs args, AccessRules access)
        => Filtered(db.Set<T>(), collection, args, access, Predicates.Of(reader, collection, args, access));

    private static IQueryable<T> Filtered(IQueryable<T> set, CollectionModel collection, QueryArgs args, AccessRules access, Predicates filters)
    {
        var query = set.AsNoTracking();
        if (filters.Permitted is { } permitted)
        {
            query = query.Where(permitted);
        }

        if (filters.Filter is { } predicate)
        {
            query = query.Where(predicate);
        }

        if (!string.IsNullOrEmpty(args.Search))
        {
            var x = Expression.Parameter(typeof(T), "x");
            query = query.Where(Expression.Lambda<Func<T, bool>>(SearchTranslator.Build(collection, x, args.Search, access), x));
        }

        return query;
    }

    /// <summary>
    /// A read's two filters as predicates, built once: the caller's permission filter (read as an administrator: it
    /// names what it names) and the read's own filter (read as the caller).
    /// </summary>
    private readonly record struct Predicates(Expression<Func<T, bool>>? Permitted, Expression<Func<T, bool>>? Filter)
    {
        public static Predicates Of(ItemReader reader, CollectionModel collection, QueryArgs args, AccessRules access)
            => new(reader.Filters.Build<T>(collection, access.ReadFilter(collection), AccessRules.Admin), reader.Filters.Build<T>(collection, args.Filter, access));
    }

    /// <summary><c>query.Skip(n)</c> or <c>query.Take(n)</c> with <c>EF.Constant(n)</c>, which EF Core writes as a literal.</summary>
    private static IQueryable<T> Page(IQueryable<T> query, MethodInfo method, int count)
        => query.Provider.CreateQuery<T>(Expression.Call(method, query.Expression, Expression.Call(ConstantMethod, Expression.Constant(count))));

    private static readonly MethodInfo SkipMethod = new Func<IQueryable<T>, int, IQueryable<T>>(Queryable.Skip).Method;
    private static readonly MethodInfo TakeMethod = new Func<IQueryable<T>, int, IQueryable<T>>(Queryable.Take).Method;
    private static readonly MethodInfo ConstantMethod = typeof(EF).GetMethod(nameof(EF.Constant))!.MakeGenericMethod(typeof(int));

    private static Expression<Func<T, bool>> KeyIn(FieldModel keyField, IReadOnlyList<object> keys)
    {
        var x = Expression.Parameter(typeof(T), "x");
        return Expression.Lambda<Func<T, bool>>(Expressions.KeyIn(Expression.Property(x, keyField.Property!), keys), x);
    }

}
