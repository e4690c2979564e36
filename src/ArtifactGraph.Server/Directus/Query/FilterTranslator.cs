using System.Linq.Expressions;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>
/// Translates a Directus <c>filter</c> object into a LINQ predicate over the collection's entity. Field names are
/// looked up in the model (never pasted into SQL); values are parsed to the column's type and passed as parameters.
/// </summary>
public sealed class FilterTranslator(int maxRelationalDepth)
{
    public Expression<Func<T, bool>>? Build<T>(CollectionModel collection, IReadOnlyDictionary<string, object?>? filter)
    {
        if (filter is null || filter.Count == 0)
        {
            return null;
        }

        var x = Expression.Parameter(typeof(T), "x");
        return Expression.Lambda<Func<T, bool>>(Translate(collection, x, filter, 0), x);
    }


    internal Expression Translate(CollectionModel collection, Expression instance, IReadOnlyDictionary<string, object?> filter, int depth)
    {
        var parts = new List<Expression>();
        foreach (var (key, value) in filter)
        {
            switch (key)
            {
                case "_and":
                    parts.Add(Expressions.AndAlso(Items(value, key).Select(f => Translate(collection, instance, f, depth))));
                    break;
                case "_or":
                    parts.Add(Expressions.OrElse(Items(value, key).Select(f => Translate(collection, instance, f, depth))));
                    break;
                default:
                    parts.Add(TranslateField(collection, instance, key, value, depth));
                    break;
            }
        }

        return Expressions.AndAlso(parts);
    }

    private Expression TranslateField(CollectionModel collection, Expression instance, string key, object? value, int depth)
    {
        if (value is null)
        {
            return Expressions.True;
        }

        var operators = AsObject(value, key);
        if (key.EndsWith("_func", StringComparison.Ordinal) && collection.Field(key[..^5]) is { } funcField)
        {
            return FunctionFilter.Translate(funcField, instance, operators);
        }

        var field = collection.Field(key) ?? throw UnknownField(collection, key);
        switch (field.Kind)
        {
            case FieldKind.ManyToOne:
                CheckDepth(depth + 1);
                return Translate(field.Related!, Expression.Property(instance, field.Navigation!), operators, depth + 1);
            case FieldKind.OneToMany:
                CheckDepth(depth + 1);
                return TranslateQuantifier(field, instance, operators, depth + 1);
            default:
                // Reached through a many-to-one join, even a NOT NULL column can be NULL (no related row).
                Expression member = Expression.Property(instance, field.Property!);
                return OperatorTranslator.Translate(field, instance is ParameterExpression ? member : Expressions.AsNullable(member), operators);
        }
    }

    private Expression TranslateQuantifier(FieldModel field, Expression instance, IReadOnlyDictionary<string, object?> filter, int depth)
    {
        var child = field.Related!;
        var collection = Expression.Property(instance, field.CollectionNavigation!);
        var parts = new List<Expression>();
        var rest = filter.Where(kv => kv.Key is not "_some" and not "_none").ToDictionary(kv => kv.Key, kv => kv.Value);
        if (rest.Count > 0)
        {
            parts.Add(AnyMatching(child, collection, rest, depth));
        }

        if (filter.TryGetValue("_some", out var some) && some is not null)
        {
            parts.Add(AnyMatching(child, collection, AsObject(some, "_some"), depth));
        }

        if (filter.TryGetValue("_none", out var none) && none is not null)
        {
            parts.Add(Expression.Not(AnyMatching(child, collection, AsObject(none, "_none"), depth)));
        }

        return Expressions.AndAlso(parts);
    }

    private Expression AnyMatching(CollectionModel child, Expression collection, IReadOnlyDictionary<string, object?> filter, int depth)
    {
        var c = Expression.Parameter(child.EntityType, "c" + depth);
        var predicate = Expression.Lambda(Translate(child, c, filter, depth), c);
        return Expressions.Any(collection, child.EntityType, predicate);
    }

    private void CheckDepth(int depth)
    {
        if (depth > maxRelationalDepth)
        {
            throw DirectusException.InvalidQuery("Max relational depth exceeded");
        }
    }

    internal static IReadOnlyDictionary<string, object?> AsObject(object? value, string key) => value switch
    {
        IReadOnlyDictionary<string, object?> d => d,
        IDictionary<string, object?> d => d.AsReadOnly(),
        _ => throw DirectusException.InvalidQuery($"Invalid filter value for \"{key}\""),
    };

    private static IEnumerable<IReadOnlyDictionary<string, object?>> Items(object? value, string key) => value switch
    {
        null => [],
        System.Collections.IEnumerable list and not string and not IDictionary<string, object?> =>
            list.Cast<object?>().Where(i => i is not null).Select(i => AsObject(i, key)),
        _ => [AsObject(value, key)],
    };

    internal static DirectusException UnknownField(CollectionModel collection, string field)
        => DirectusException.Forbidden($"You don't have permission to access field \"{field}\" in collection \"{collection.Name}\" or it does not exist.");
}
