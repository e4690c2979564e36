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

    private static readonly MethodInfo EfConstantMethod = typeof(Microsoft.EntityFrameworkCore.EF).GetMethod(nameof(Microsoft.EntityFrameworkCore.EF.Constant))!;

    private static readonly MethodInfo EfParameterMethod = typeof(Microsoft.EntityFrameworkCore.EF).GetMethod(nameof(Microsoft.EntityFrameworkCore.EF.Parameter))!;

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

    /// <summary>
    /// <paramref name="value"/> as <c>EF.Constant(value)</c>: EF Core writes it into the SQL as a literal (quoted and escaped),
    /// so that the database plans the statement for this value, not for any.
    /// </summary>
    public static Expression Literal(string value)
        => Expression.Call(EfConstantMethod.MakeGenericMethod(typeof(string)), Expression.Constant(value, typeof(string)));

    /// <summary>
    /// The longest list SQLite gets as one SQL parameter per item (<c>IN (@p1, @p2, …)</c>, EF Core's default for a list
    /// parameter there); a longer one goes as a single JSON array. PostgreSQL always gets one array parameter.
    /// </summary>
    public const int MaxExpandedList = 100;

    /// <summary><c>values.Contains(member)</c> with a typed, parameterised list.</summary>
    public static Expression In(Expression member, IEnumerable<object?> values)
        => Expression.Call(ContainsMethod.MakeGenericMethod(member.Type), ListParameter(member.Type, values), member);

    /// <summary>
    /// <c>keys.Contains(member)</c> for keys that are never null (a batch load's parent or related keys). A nullable
    /// column is compared through <c>.Value</c> with a list of the underlying type: with a list of nullables, EF Core adds
    /// <c>OR (column IS NULL AND array_position(keys, NULL) IS NOT NULL)</c> for a null it cannot rule out, and that
    /// OR makes PostgreSQL's generic plan of the prepared statement scan the index twice or the whole table.
    /// </summary>
    public static Expression KeyIn(Expression member, IEnumerable<object> keys)
        => KeyIn(member, ListParameter(Nullable.GetUnderlyingType(member.Type) ?? member.Type, keys));

    /// <summary>
    /// <see cref="KeyIn(Expression, IEnumerable{object})"/> with the keys given by <paramref name="keys"/>, a list of
    /// the key's underlying type (also a compiled query's parameter, which EF Core refuses to wrap in <c>EF.Parameter</c>:
    /// on SQLite it is therefore expanded, one SQL parameter per key, and is only used up to <see cref="MaxExpandedList"/> keys).
    /// </summary>
    public static Expression KeyIn(Expression member, Expression keys)
    {
        if (Nullable.GetUnderlyingType(member.Type) is null)
        {
            return Expression.Call(ContainsMethod.MakeGenericMethod(member.Type), keys, member);
        }

        // "column IS NOT NULL AND …": EF Core's null semantics then treat the column as non-null on the right.
        var value = Expression.Property(member, nameof(Nullable<int>.Value));
        return Expression.AndAlso(NotNull(member), Expression.Call(ContainsMethod.MakeGenericMethod(value.Type), keys, value));
    }

    /// <summary>
    /// The values as a captured <c>List&lt;<paramref name="elementType"/>&gt;</c>. A long list goes as one array parameter
    /// (EF.Parameter) instead of one SQL parameter per item, whose cost grows with the square of the length and which
    /// SQLite caps.
    /// </summary>
    private static Expression ListParameter(Type elementType, IEnumerable<object?> values)
    {
        var listType = typeof(List<>).MakeGenericType(elementType);
        var list = (System.Collections.IList)Activator.CreateInstance(listType)!;
        foreach (var value in values)
        {
            list.Add(value);
        }

        var parameter = Parameter(list, listType);
        return list.Count > MaxExpandedList ? Expression.Call(EfParameterMethod.MakeGenericMethod(listType), parameter) : parameter;
    }

    public static Expression Any(Expression collection, Type elementType, LambdaExpression predicate)
        => Expression.Call(AnyMethod.MakeGenericMethod(elementType), collection, predicate);

    public static Expression Count(Expression collection, Type elementType)
        => Expression.Call(CountMethod.MakeGenericMethod(elementType), collection);

    public static Expression AndAlso(IEnumerable<Expression> parts) => Balanced(parts.ToList(), Expression.AndAlso, True);

    public static Expression OrElse(IEnumerable<Expression> parts) => Balanced(parts.ToList(), Expression.OrElse, False);

    public static bool IsNullable(Type type) => !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;

    public static Expression NotNull(Expression member)
        => IsNullable(member.Type) ? Expression.NotEqual(member, Expression.Constant(null, member.Type)) : True;

    public static Expression IsNull(Expression member)
        => IsNullable(member.Type) ? Expression.Equal(member, Expression.Constant(null, member.Type)) : False;

    /// <summary>Makes a value-typed expression nullable so it can be compared with null and lifted operators.</summary>
    public static Expression AsNullable(Expression e)
        => e.Type.IsValueType && Nullable.GetUnderlyingType(e.Type) is null ? Expression.Convert(e, typeof(Nullable<>).MakeGenericType(e.Type)) : e;

    public static Type ElementType(Type enumerable) => enumerable.GetGenericArguments()[0];

    /// <summary>
    /// Joins the parts as a balanced tree, log2(n) deep rather than n: EF Core visits expressions recursively, and a filter
    /// with thousands of _or/_and branches overflowed the stack and killed the process. AND and OR are associative (in
    /// SQL's three-valued logic too), and up to three parts the tree is the left-deep one it always was.
    /// </summary>
    private static Expression Balanced(List<Expression> parts, Func<Expression, Expression, BinaryExpression> join, Expression empty)
    {
        return parts.Count == 0 ? empty : Join(0, parts.Count);

        Expression Join(int start, int count)
        {
            if (count == 1)
            {
                return parts[start];
            }

            var left = count - (count / 2);
            return join(Join(start, left), Join(start + left, count - left));
        }
    }

    /// <summary>A captured value, for EF Core a query parameter; <see cref="FilterShape"/> turns it into a compiled query's.</summary>
    public sealed class Box<T>(T value) : IBox
    {
        public T Value { get; } = value;

        object? IBox.BoxedValue => Value;
    }

    public interface IBox
    {
        object? BoxedValue { get; }
    }
}
