using System.Linq.Expressions;
using System.Reflection;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>A group-by key: its output name in <c>group</c> and its expression on the entity.</summary>
public sealed record GroupSpec(string OutputName, bool IsFunction, Func<Expression, Expression> Build);

/// <summary>One requested aggregate: <c>countAll</c>, or an aggregate function over a field.</summary>
public sealed record AggregateSpec(string Aggregate, FieldModel? Field);

/// <summary>Builds <c>GroupBy(key).Select(g => new object[] { key…, aggregates… })</c> for EF Core to translate.</summary>
internal static class AggregateQuery
{
    private static readonly MethodInfo GroupByMethod = typeof(Queryable).GetMethods()
        .First(m => m.Name == nameof(Queryable.GroupBy) && m.GetParameters().Length == 2);

    private static readonly MethodInfo SelectMethod = typeof(Queryable).GetMethods()
        .First(m => m.Name == nameof(Queryable.Select) && m.GetParameters()[1].ParameterType.GetGenericArguments()[0].GetGenericArguments().Length == 2);

    private static readonly Type[] KeyTypes = [typeof(GroupKey<>), typeof(GroupKey<,>), typeof(GroupKey<,,>), typeof(GroupKey<,,,>)];

    public static IQueryable<object?[]> Build<T>(IQueryable<T> source, IReadOnlyList<GroupSpec> groups, IReadOnlyList<AggregateSpec> aggregates)
    {
        var x = Expression.Parameter(typeof(T), "x");
        Expression key;
        if (groups.Count == 0)
        {
            key = Expression.Constant(1);
        }
        else
        {
            key = Key(groups.Select(g => Expressions.AsNullable(g.Build(x))).ToArray());
        }

        var keyLambda = Expression.Lambda(key, x);
        var grouped = GroupByMethod.MakeGenericMethod(typeof(T), key.Type).Invoke(null, [source, keyLambda])!;

        var groupingType = typeof(IGrouping<,>).MakeGenericType(key.Type, typeof(T));
        var g = Expression.Parameter(groupingType, "g");
        var values = new List<Expression>();
        for (var i = 0; i < groups.Count; i++)
        {
            values.Add(Expression.Convert(KeyPart(Expression.Property(g, "Key"), groups.Count, i), typeof(object)));
        }

        values.AddRange(aggregates.Select(a => Expression.Convert(Aggregate<T>(g, a), typeof(object))));
        var projection = Expression.Lambda(Expression.NewArrayInit(typeof(object), values), g);
        return (IQueryable<object?[]>)SelectMethod.MakeGenericMethod(groupingType, typeof(object[])).Invoke(null, [grouped, projection])!;
    }

    /// <summary>
    /// A key of up to four parts is one <see cref="GroupKey{T1, T2, T3, T4}"/>; past four, the fourth item holds the key of
    /// the remaining parts (as <see cref="Tuple{T1, T2, T3, T4, T5, T6, T7, TRest}"/> does), which EF Core flattens into
    /// one GROUP BY.
    /// </summary>
    private static NewExpression Key(Expression[] parts)
    {
        if (parts.Length > KeyTypes.Length)
        {
            parts = [.. parts[..(KeyTypes.Length - 1)], Key(parts[(KeyTypes.Length - 1)..])];
        }

        var keyType = KeyTypes[parts.Length - 1].MakeGenericType(parts.Select(p => p.Type).ToArray());
        var members = Enumerable.Range(1, parts.Length).Select(i => (MemberInfo)keyType.GetProperty($"Item{i}")!).ToArray();
        return Expression.New(keyType.GetConstructors()[0], parts, members);
    }

    /// <summary>Part <paramref name="index"/> of a key of <paramref name="count"/> parts built by <see cref="Key"/>.</summary>
    private static Expression KeyPart(Expression key, int count, int index)
    {
        var last = KeyTypes.Length - 1;
        return count > KeyTypes.Length && index >= last
            ? KeyPart(Expression.Property(key, $"Item{last + 1}"), count - last, index - last)
            : Expression.Property(key, $"Item{index + 1}");
    }

    private static Expression Aggregate<T>(ParameterExpression g, AggregateSpec spec)
    {
        if (spec.Aggregate == "countAll")
        {
            return Call(nameof(Enumerable.Count), [typeof(T)], g);
        }

        var x = Expression.Parameter(typeof(T), "a");
        var member = Expression.Property(x, spec.Field!.Property!);
        var valueCount = Call(nameof(Enumerable.Count), [typeof(T)], g, Expression.Lambda(Expressions.NotNull(member), x));
        switch (spec.Aggregate)
        {
            case "count":
                return valueCount;
            case "countDistinct":
                var selected = Call(nameof(Enumerable.Select), [typeof(T), member.Type], g, Expression.Lambda(member, x));
                var distinct = Call(nameof(Enumerable.Distinct), [member.Type], selected);
                return Call(nameof(Enumerable.Count), [member.Type], distinct);
        }

        var number = Expression.Convert(member, typeof(double?));
        var numberLambda = Expression.Lambda(number, x);
        return spec.Aggregate switch
        {
            "sum" => NullWithoutValues(valueCount, Call(nameof(Enumerable.Sum), [typeof(T)], g, numberLambda)),
            "avg" => Call(nameof(Enumerable.Average), [typeof(T)], g, numberLambda),
            "min" => Call(nameof(Enumerable.Min), [typeof(T)], g, numberLambda),
            "max" => Call(nameof(Enumerable.Max), [typeof(T)], g, numberLambda),
            "sumDistinct" => NullWithoutValues(valueCount, SumDistinct<T>(g, x, member)),
            "avgDistinct" => AverageDistinct<T>(g, x, member),
            _ => throw DirectusException.InvalidQuery($"Unknown aggregate \"{spec.Aggregate}\""),
        };
    }

    /// <summary>
    /// AVG(DISTINCT f) as SUM(DISTINCT f) / COUNT(DISTINCT f): Npgsql drops the DISTINCT of an Average over a
    /// distinct selection, and this form is exact on both databases.
    /// </summary>
    private static Expression AverageDistinct<T>(ParameterExpression g, ParameterExpression x, Expression member)
    {
        var count = Call(nameof(Enumerable.Count), [Expressions.AsNullable(member).Type], DistinctValues<T>(g, x, member));
        return NullWithoutValues(count, Expression.Divide(SumDistinct<T>(g, x, member), Expression.Convert(count, typeof(double?))));
    }

    private static Expression SumDistinct<T>(ParameterExpression g, ParameterExpression x, Expression member)
        => Expression.Convert(Call(nameof(Enumerable.Sum), [], DistinctValues<T>(g, x, member)), typeof(double?));

    /// <summary>
    /// Null when the group has no value to aggregate, as SQL's SUM is: EF Core writes <c>COALESCE(SUM(f), 0)</c> for a
    /// Sum, which Directus (plain SQL) would answer as null.
    /// </summary>
    private static Expression NullWithoutValues(Expression count, Expression aggregate)
        => Expression.Condition(Expression.Equal(count, Expression.Constant(0)), Expression.Constant(null, typeof(double?)), aggregate);

    /// <summary><c>g.Select(x => x.F).Distinct()</c> on the column's own type, so that the provider keeps the DISTINCT.</summary>
    private static Expression DistinctValues<T>(ParameterExpression g, ParameterExpression x, Expression member)
    {
        var value = Expressions.AsNullable(member);
        var selected = Call(nameof(Enumerable.Select), [typeof(T), value.Type], g, Expression.Lambda(value, x));
        return Call(nameof(Enumerable.Distinct), [value.Type], selected);
    }

    private static MethodCallExpression Call(string name, Type[] typeArgs, params Expression[] args)
    {
        var method = typeof(Enumerable).GetMethods()
            .Where(m => m.Name == name && m.GetParameters().Length == args.Length && m.GetGenericArguments().Length == typeArgs.Length)
            .Select(m => typeArgs.Length > 0 ? m.MakeGenericMethod(typeArgs) : m)
            .First(m => Fits(m, args));
        return Expression.Call(method, args);
    }

    private static bool Fits(MethodInfo method, Expression[] args)
    {
        var parameters = method.GetParameters();
        for (var i = 0; i < args.Length; i++)
        {
            var expected = parameters[i].ParameterType;
            var actual = args[i] is LambdaExpression lambda ? Expression.GetFuncType([.. lambda.Parameters.Select(p => p.Type), lambda.ReturnType]) : args[i].Type;
            if (!expected.IsAssignableFrom(actual))
            {
                return false;
            }
        }

        return true;
    }
}
