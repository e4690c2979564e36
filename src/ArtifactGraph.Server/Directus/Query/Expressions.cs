using System.Linq.Expressions;
using System.Reflection;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>Small helpers for building LINQ expression trees that EF Core turns into parameterised SQL.</summary>
internal static class Expressions
{
    public static readonly Expression True = Expression.Constant(true);
    public static readonly Expression False = Expression.Constant(false);

    private static readonly MethodInfo ContainsMethod = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2);

    private static readonly MethodInfo AnyMethod = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Any) && m.GetParameters().Length == 2);

    private static readonly MethodInfo CountMethod = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Count) && m.GetParameters().Length == 1);

    /// <summary>A value EF sees as a captured variable, so it becomes a SQL parameter rather than a literal.</summary>
    public static Expression Parameter(object? value, Type type)
    {
        var box = Activator.CreateInstance(typeof(Box<>).MakeGenericType(type), value)!;
        return Expression.Property(Expression.Constant(box), nameof(Box<int>.Value));
    }

    /// <summary><c>values.Contains(member)</c> with a typed, parameterised list.</summary>
    public static Expression In(Expression member, IEnumerable<object?> values)
    {
        var listType = typeof(List<>).MakeGenericType(member.Type);
        var list = (System.Collections.IList)Activator.CreateInstance(listType)!;
        foreach (var value in values)
        {
            list.Add(value);
        }

        return Expression.Call(ContainsMethod.MakeGenericMethod(member.Type), Parameter(list, listType), member);
    }

    public static Expression Any(Expression collection, Type elementType, LambdaExpression predicate)
        => Expression.Call(AnyMethod.MakeGenericMethod(elementType), collection, predicate);

    public static Expression Count(Expression collection, Type elementType)
        => Expression.Call(CountMethod.MakeGenericMethod(elementType), collection);

    public static Expression AndAlso(IEnumerable<Expression> parts)
        => parts.Aggregate((Expression?)null, (acc, e) => acc is null ? e : Expression.AndAlso(acc, e)) ?? True;

    public static Expression OrElse(IEnumerable<Expression> parts)
        => parts.Aggregate((Expression?)null, (acc, e) => acc is null ? e : Expression.OrElse(acc, e)) ?? False;

    public static bool IsNullable(Type type) => !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;

    public static Expression NotNull(Expression member)
        => IsNullable(member.Type) ? Expression.NotEqual(member, Expression.Constant(null, member.Type)) : True;

    public static Expression IsNull(Expression member)
        => IsNullable(member.Type) ? Expression.Equal(member, Expression.Constant(null, member.Type)) : False;

    /// <summary>Makes a value-typed expression nullable so it can be compared with null and lifted operators.</summary>
    public static Expression AsNullable(Expression e)
        => e.Type.IsValueType && Nullable.GetUnderlyingType(e.Type) is null ? Expression.Convert(e, typeof(Nullable<>).MakeGenericType(e.Type)) : e;

    public static Type ElementType(Type enumerable) => enumerable.GetGenericArguments()[0];

    public sealed class Box<T>(T value)
    {
        public T Value { get; } = value;
    }
}
