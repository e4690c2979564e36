using System.Linq.Expressions;
using System.Reflection;
using ArtifactGraph.Server.Directus.Model;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>A sort entry: its path and direction.</summary>
internal sealed record SortKey(SortPath Path, bool Descending);

/// <summary>How a sort entry reaches its value: <see cref="Build"/> for a column or function, <see cref="Many"/> through a one-to-many field.</summary>
internal sealed record SortPath(Func<Expression, Expression> Build, ManyStep? Many = null);

/// <summary>
/// A sort path through one one-to-many field: many-to-one steps to it (<see cref="Before"/>), the field, and the steps from
/// a related row to the value (<see cref="After"/>). <see cref="Prefix"/> names the relation (<c>artifacts</c>).
/// </summary>
internal sealed record ManyStep(string Prefix, IReadOnlyList<FieldModel> Before, FieldModel Field, IReadOnlyList<FieldModel> After);

/// <summary>
/// Sorting by a one-to-many path (<c>tasks(sort: ["-artifacts.artifact_version_id.version"])</c>) as Directus does it: it
/// joins the related rows, numbers each item's rows in the sort's order and keeps the first, so every item appears once,
/// ordered by the values of its first related row (ascending: the smallest value; descending: null if any related row
/// has none, else the largest; no related row: null). Here that row is a correlated subquery,
/// <c>(SELECT value FROM related ORDER BY sort… LIMIT 1)</c>, ordered by every sort entry through the same relation.
/// </summary>
internal static class ManySort
{
    private static readonly MethodInfo[] OrderMethods =
    [
        Method(nameof(Enumerable.OrderBy)), Method(nameof(Enumerable.OrderByDescending)),
        Method(nameof(Enumerable.ThenBy)), Method(nameof(Enumerable.ThenByDescending)),
    ];

    private static readonly MethodInfo SelectMethod = typeof(Enumerable).GetMethods()
        .First(m => m.Name == nameof(Enumerable.Select) && m.GetParameters()[1].ParameterType.GetGenericArguments().Length == 2);

    private static readonly MethodInfo FirstOrDefaultMethod = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.FirstOrDefault) && m.GetParameters().Length == 1);

    public static Expression Value(Expression x, SortKey key, IReadOnlyList<SortKey> keys, bool emulateNullOrder)
    {
        var many = key.Path.Many!;
        var childType = many.Field.Related!.EntityType;
        var c = Expression.Parameter(childType, "m");
        Expression rows = Expression.Property(SortTranslator.Follow(x, many.Before), many.Field.CollectionNavigation!);
        var ordered = false;
        foreach (var sibling in keys.Where(k => k.Path.Many?.Prefix == many.Prefix))
        {
            var value = Expressions.AsNullable(Inner(c, sibling.Path.Many!));
            if (emulateNullOrder)
            {
                rows = Order(rows, childType, Expression.Lambda(SortTranslator.NullsKey(value), c), sibling.Descending, ordered);
                ordered = true;
            }

            rows = Order(rows, childType, Expression.Lambda(value, c), sibling.Descending, ordered);
            ordered = true;
        }

        var own = Expressions.AsNullable(Inner(c, many));
        var selected = Expression.Call(SelectMethod.MakeGenericMethod(childType, own.Type), rows, Expression.Lambda(own, c));
        return Expression.Call(FirstOrDefaultMethod.MakeGenericMethod(own.Type), selected);
    }

    private static Expression Inner(ParameterExpression c, ManyStep many) => SortTranslator.Navigate(c, many.After);

    private static Expression Order(Expression rows, Type elementType, LambdaExpression key, bool descending, bool thenBy)
        => Expression.Call(OrderMethods[(thenBy ? 2 : 0) + (descending ? 1 : 0)].MakeGenericMethod(elementType, key.ReturnType), rows, key);

    private static MethodInfo Method(string name) => typeof(Enumerable).GetMethods()
        .Single(m => m.Name == name && m.GetParameters().Length == 2);
}
