using System.Linq.Expressions;
using System.Reflection;
using ArtifactGraph.Server.Directus.Model;
using Microsoft.EntityFrameworkCore.Query;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>A sort entry: its path and direction.</summary>
internal sealed record SortKey(SortPath Path, bool Descending);

/// <summary>How a sort entry reaches its value: <see cref="Build"/> for a column or function, <see cref="Many"/> through one-to-many fields.</summary>
internal sealed record SortPath(Func<Expression, Expression> Build, ManyPath? Many = null);

/// <summary>
/// A sort path through one-to-many fields: <see cref="Steps"/> from the item to the value, <see cref="Last"/> the index of
/// the last one-to-many step, <see cref="Prefix"/> the path up to it (<c>artifacts</c>, <c>artifacts.artifact_version_id.files</c>).
/// </summary>
internal sealed record ManyPath(string Prefix, IReadOnlyList<FieldModel> Steps, int Last, Visibility Visible);

/// <summary>The condition that the caller may read <c>item</c>, a row of <c>collection</c> (true when every row is readable).</summary>
internal delegate Expression Visibility(CollectionModel collection, Expression item);

/// <summary>
/// Sorting by a one-to-many path (<c>tasks(sort: ["-artifacts.artifact_version_id.version"])</c>) as Directus does it: it
/// left-joins the related rows, numbers each item's rows in the sort's order and keeps the first, so every item appears
/// once, ordered by the values of its first related row (ascending: the smallest value; descending: null if any related
/// row has none, else the largest; no related row: null). Here that row is a correlated subquery,
/// <c>(SELECT value FROM related … ORDER BY sort… LIMIT 1)</c>, ordered by every sort entry through the same relations;
/// a related row without rows of a further one-to-many field counts as one row without a value, as a left join gives it.
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

    private static readonly MethodInfo SelectManyMethod = typeof(Enumerable).GetMethods()
        .First(m => m.Name == nameof(Enumerable.SelectMany) && m.GetParameters().Length == 2 && m.GetParameters()[1].ParameterType.GetGenericArguments().Length == 2);

    private static readonly MethodInfo WhereMethod = typeof(Enumerable).GetMethods()
        .First(m => m.Name == nameof(Enumerable.Where) && m.GetParameters()[1].ParameterType.GetGenericArguments().Length == 2);

    private static readonly MethodInfo DefaultIfEmptyMethod = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.DefaultIfEmpty) && m.GetParameters().Length == 1);

    private static readonly MethodInfo FirstOrDefaultMethod = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.FirstOrDefault) && m.GetParameters().Length == 1);

    public static Expression Value(Expression x, SortKey key, IReadOnlyList<SortKey> keys, bool emulateNullOrder)
    {
        var many = key.Path.Many!;
        var (rows, elementType) = Rows(x, many);
        var e = Expression.Parameter(elementType, "m");
        var ordered = false;
        foreach (var sibling in keys.Where(k => k.Path.Many?.Prefix == many.Prefix))
        {
            var value = Inner(e, sibling.Path.Many!);
            if (emulateNullOrder)
            {
                rows = Order(rows, elementType, Expression.Lambda(SortTranslator.NullsKey(value), e), sibling.Descending, ordered);
                ordered = true;
            }

            rows = Order(rows, elementType, Expression.Lambda(value, e), sibling.Descending, ordered);
            ordered = true;
        }

        var own = Inner(e, many);
        var selected = Expression.Call(SelectMethod.MakeGenericMethod(elementType, own.Type), rows, Expression.Lambda(own, e));
        return Expression.Call(FirstOrDefaultMethod.MakeGenericMethod(own.Type), selected);
    }

    /// <summary>The related rows at the end of the path's one-to-many steps, flattened, with an empty step as one null row.</summary>
    private static (Expression Rows, Type ElementType) Rows(Expression x, ManyPath many)
    {
        Expression? rows = null;
        Type? elementType = null;
        var start = 0;
        for (var i = 0; i <= many.Last; i++)
        {
            var step = many.Steps[i];
            if (step.Kind != FieldKind.OneToMany)
            {
                continue;
            }

            var next = step.Related!.EntityType;
            var p = Expression.Parameter(elementType ?? x.Type, "r" + i);
            var (owner, guard) = SortTranslator.Follow(p, many.Steps.Skip(start).Take(i - start).ToList(), many.Visible);
            var child = Expression.Parameter(next, "c" + i);
            var readable = many.Visible(step.Related!, child);
            Expression children = Expression.Property(owner, step.CollectionNavigation!);
            if (guard != Expressions.True || readable != Expressions.True)
            {
                // Only the related rows the caller may read, of an item the caller may read, take part.
                children = Expression.Call(WhereMethod.MakeGenericMethod(next), children, Expression.Lambda(Expression.AndAlso(guard, readable), child));
            }

            if (rows is null)
            {
                rows = ReplacingExpressionVisitor.Replace(p, x, children);
            }
            else
            {
                var orNull = Expression.Call(DefaultIfEmptyMethod.MakeGenericMethod(next), children);
                var lambda = Expression.Lambda(typeof(Func<,>).MakeGenericType(elementType!, typeof(IEnumerable<>).MakeGenericType(next)), orNull, p);
                rows = Expression.Call(SelectManyMethod.MakeGenericMethod(elementType!, next), rows, lambda);
            }

            elementType = next;
            start = i + 1;
        }

        return (rows!, elementType!);
    }

    private static Expression Inner(ParameterExpression e, ManyPath many)
        => Expressions.AsNullable(SortTranslator.Navigate(e, many.Steps.Skip(many.Last + 1).ToList(), many.Visible));

    private static Expression Order(Expression rows, Type elementType, LambdaExpression key, bool descending, bool thenBy)
        => Expression.Call(OrderMethods[(thenBy ? 2 : 0) + (descending ? 1 : 0)].MakeGenericMethod(elementType, key.ReturnType), rows, key);

    private static MethodInfo Method(string name) => typeof(Enumerable).GetMethods()
        .Single(m => m.Name == name && m.GetParameters().Length == 2);
}
