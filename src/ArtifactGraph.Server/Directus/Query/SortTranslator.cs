using System.Linq.Expressions;
using System.Reflection;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>
/// Applies Directus <c>sort</c> entries (<c>field</c>, <c>-field</c>, <c>project_id.name</c>, <c>year(date_created)</c>)
/// as OrderBy/ThenBy. NULLs sort as on PostgreSQL (last ascending, first descending) on both databases, and the
/// primary key breaks ties so that pages are stable.
/// </summary>
public sealed class SortTranslator(int maxRelationalDepth)
{
    private readonly FilterTranslator filters = new(maxRelationalDepth);

    private static readonly MethodInfo[] OrderMethods =
    [
        Method(nameof(Queryable.OrderBy)), Method(nameof(Queryable.OrderByDescending)),
        Method(nameof(Queryable.ThenBy)), Method(nameof(Queryable.ThenByDescending)),
    ];

    public IQueryable<T> Apply<T>(IQueryable<T> query, CollectionModel collection, IReadOnlyList<string>? sort, bool emulateNullOrder, AccessRules access, string location = "root")
    {
        var keys = Keys(collection, sort, access, location);
        var x = Expression.Parameter(typeof(T), "x");
        var ordered = false;
        foreach (var sortKey in keys)
        {
            var key = sortKey.Path.Many is not null ? ManySort.Value(x, sortKey, keys, emulateNullOrder) : sortKey.Path.Build(x);
            if (emulateNullOrder && Expressions.IsNullable(key.Type))
            {
                query = Order(query, Expression.Lambda(NullsKey(key), x), sortKey.Descending, ordered);
                ordered = true;
            }

            query = Order(query, Expression.Lambda(key, x), sortKey.Descending, ordered);
            ordered = true;
        }

        return query;
    }

    /// <summary>1 for null, else 0: sorted before the value, it puts nulls where PostgreSQL puts them.</summary>
    internal static Expression NullsKey(Expression key)
        => Expression.Condition(Expressions.IsNull(key), Expression.Constant(1), Expression.Constant(0));

    private List<SortKey> Keys(CollectionModel collection, IReadOnlyList<string>? sort, AccessRules access, string location)
    {
        var keys = new List<SortKey>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in sort ?? [])
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            var descending = raw.StartsWith('-');
            var path = descending ? raw[1..] : raw;

            // A key already sorted on cannot order rows any further; dropping repeats keeps the OrderBy chain (which
            // EF Core visits recursively) as short as the distinct keys, whatever the length of the list.
            if (!seen.Add(path))
            {
                continue;
            }

            keys.Add(new SortKey(Resolve(collection, path, access, location), descending));
        }

        var pk = collection.PrimaryKey;
        keys.Add(new SortKey(new SortPath(x => Expression.Property(x, pk.Property!)), false));
        return keys;
    }

    private SortPath Resolve(CollectionModel collection, string path, AccessRules access, string location)
    {
        var open = path.IndexOf('(');
        if (open > 0 && path.EndsWith(')'))
        {
            var function = path[..open];
            var fieldName = path[(open + 1)..^1];
            var field = access.Readable(collection, fieldName) ?? throw Unknown(collection, fieldName, location);
            return new SortPath(x => FunctionFilter.Apply(field, x, function));
        }

        var segments = path.Split('.');
        if (segments.Length - 1 > maxRelationalDepth)
        {
            throw DirectusException.InvalidQuery("Max relational depth exceeded");
        }

        var steps = new List<FieldModel>();
        var current = collection;
        var last = -1;
        for (var i = 0; i < segments.Length; i++)
        {
            var field = access.Readable(current, segments[i]) ?? throw Unknown(current, segments[i], location);
            steps.Add(field);
            if (i < segments.Length - 1 && field.Kind == FieldKind.Scalar)
            {
                // Directus looks the next name up in the same collection.
                _ = access.Readable(current, segments[i + 1]) ?? throw Unknown(current, segments[i + 1], location);
                throw DirectusException.InvalidQuery($"\"{field.Name}\" is not a relational field");
            }

            if (field.Kind == FieldKind.OneToMany)
            {
                last = i;
            }

            current = field.Related ?? current;
        }

        if (steps[^1].Kind == FieldKind.OneToMany)
        {
            steps.Add(current.PrimaryKey); // an alias on its own sorts by the related rows' keys, as in Directus
        }

        Visibility visible = (related, item) => filters.RowFilter(related, item, 0, access);
        return new SortPath(x => Navigate(x, steps, visible), last < 0 ? null : new ManyPath(string.Join('.', segments[..(last + 1)]), steps, last, visible));
    }

    /// <summary>
    /// Follows many-to-one steps to the last step's column; null when a related item on the way is one the caller may not
    /// read (<paramref name="visible"/>: the caller's permission filter of a collection), as when a filter reaches it.
    /// </summary>
    internal static Expression Navigate(Expression e, IReadOnlyList<FieldModel> steps, Visibility visible)
    {
        var (item, guard) = Follow(e, steps.Take(steps.Count - 1).ToList(), visible);
        Expression value = Expression.Property(item, steps[^1].Property!);
        if (guard == Expressions.True)
        {
            return value;
        }

        value = Expressions.AsNullable(value);
        return Expression.Condition(guard, value, Expression.Constant(null, value.Type));
    }

    /// <summary>Follows many-to-one steps to the related item, with the condition that the caller may read each one.</summary>
    internal static (Expression Item, Expression Guard) Follow(Expression e, IReadOnlyList<FieldModel> steps, Visibility visible)
    {
        var guards = new List<Expression>();
        foreach (var step in steps)
        {
            e = Expression.Property(e, step.Navigation!);
            if (visible(step.Related!, e) is var rows && rows != Expressions.True)
            {
                guards.Add(rows);
            }
        }

        return (e, guards.Count == 0 ? Expressions.True : Expressions.AndAlso(guards));
    }

    private static IQueryable<T> Order<T>(IQueryable<T> query, LambdaExpression key, bool descending, bool thenBy)
    {
        var method = OrderMethods[(thenBy ? 2 : 0) + (descending ? 1 : 0)].MakeGenericMethod(typeof(T), key.ReturnType);
        return (IQueryable<T>)method.Invoke(null, [query, key])!;
    }

    private static DirectusException Unknown(CollectionModel collection, string field, string location)
        => DirectusException.Forbidden(
            $"You don't have permission to access field \"{field}\" in collection \"{collection.Name}\" or it does not exist. Queried in {location}.");

    private static MethodInfo Method(string name) => typeof(Queryable).GetMethods()
        .Single(m => m.Name == name && m.GetParameters().Length == 2);
}
