using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using ArtifactGraph.Server.Directus.Model;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>
/// A list's sort as keyset keys: its columns with their directions, then the primary key (as <see cref="SortTranslator"/>
/// orders: the key breaks ties), so that "the rows after this one" is a predicate and a batch of a long list is read
/// without skipping the rows before it. Nulls are where the sort puts them (last ascending, first descending, as on
/// PostgreSQL). The cursor is the key of the last row read: each key's value is read back by a subquery on that key,
/// in the same statement, so what is compared is what the database sorts (its own text of a date or a uuid on SQLite),
/// never a value that went through .NET and back.
/// </summary>
public sealed class KeysetOrder
{
    private static readonly MethodInfo StringCompare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    private KeysetOrder(IReadOnlyList<(FieldModel Field, bool Descending)> keys) => Keys = keys;

    public IReadOnlyList<(FieldModel Field, bool Descending)> Keys { get; }

    /// <summary>
    /// The keyset order of <paramref name="sort"/>, or null when an entry is not a column of the collection itself that the
    /// database can compare (a path through a relation, a function, a one-to-many field, a boolean): such a list is read
    /// in batches by offset.
    /// </summary>
    public static KeysetOrder? Of(CollectionModel collection, IReadOnlyList<string>? sort)
    {
        var keys = new List<(FieldModel, bool)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in sort ?? [])
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            var descending = raw.StartsWith('-');
            var name = descending ? raw[1..] : raw;
            if (!seen.Add(name))
            {
                continue;
            }

            if (collection.Field(name) is not { Kind: FieldKind.Scalar or FieldKind.ManyToOne, Property: { } property } field || !Comparable(property.PropertyType))
            {
                return null;
            }

            keys.Add((field, descending));
        }

        if (!seen.Contains(collection.PrimaryKey.Name))
        {
            keys.Add((collection.PrimaryKey, false));
        }

        return new KeysetOrder(keys);
    }

    /// <summary>
    /// <c>x =&gt;</c> x sorts after the row whose key is <paramref name="lastKey"/>: for some key, every key before it is
    /// equal and this one comes after (null-safe, nulls where the sort puts them).
    /// </summary>
    public Expression<Func<T, bool>> After<T>(IQueryable<T> set, FieldModel primaryKey, object lastKey)
        where T : class
    {
        var x = Expression.Parameter(typeof(T), "x");
        var y = Expression.Parameter(typeof(T), "y");
        var keyType = primaryKey.Property!.PropertyType;
        var box = Activator.CreateInstance(typeof(StrongBox<>).MakeGenericType(keyType), lastKey)!;
        // A field of a constant: EF Core sends it as a parameter, so every batch has the same SQL text.
        var isLast = Expression.Lambda<Func<T, bool>>(
            Expression.Equal(Expression.Property(y, primaryKey.Property), Expression.Field(Expression.Constant(box), "Value")), y);
        var last = Queryable.Where(set, isLast).Expression;

        Expression? any = null;
        Expression equalSoFar = Expression.Constant(true);
        foreach (var (field, descending) in Keys)
        {
            var property = field.Property!;
            var mine = Expression.Property(x, property);
            var theirs = Scalar(last, y, property);
            var after = descending ? Greater(theirs, mine) : Greater(mine, theirs);
            if (Nullable(property.PropertyType))
            {
                // Ascending, nulls come last: after a value, every null; descending, nulls come first: after a null, every value.
                var nullAfter = descending
                    ? Expression.AndAlso(IsNull(theirs), Expression.Not(IsNull(mine)))
                    : Expression.AndAlso(IsNull(mine), Expression.Not(IsNull(theirs)));
                after = Expression.OrElse(after, nullAfter);
            }

            var term = Expression.AndAlso(equalSoFar, after);
            any = any is null ? term : Expression.OrElse(any, term);
            equalSoFar = Expression.AndAlso(equalSoFar, Expression.Equal(mine, theirs));
        }

        return Expression.Lambda<Func<T, bool>>(any!, x);
    }

    /// <summary><c>(SELECT y.property FROM … WHERE y.key = @last LIMIT 1)</c>.</summary>
    private static Expression Scalar(Expression last, ParameterExpression y, PropertyInfo property)
    {
        var selector = Expression.Lambda(Expression.Property(y, property), y);
        var select = Expression.Call(typeof(Queryable), nameof(Queryable.Select), [y.Type, property.PropertyType], last, Expression.Quote(selector));
        var value = Expression.Call(typeof(Queryable), nameof(Queryable.FirstOrDefault), [property.PropertyType], select);
        return value;
    }

    private static Expression Greater(Expression left, Expression right)
        => left.Type == typeof(string)
            ? Expression.GreaterThan(Expression.Call(StringCompare, left, right), Expression.Constant(0))
            : Expression.GreaterThan(left, right);

    private static Expression IsNull(Expression value) => Expression.Equal(value, Expression.Constant(null, value.Type));

    private static bool Nullable(Type type) => !type.IsValueType || System.Nullable.GetUnderlyingType(type) is not null;

    private static bool Comparable(Type type)
    {
        if (type == typeof(string))
        {
            return true;
        }

        try
        {
            var value = Expression.Default(type);
            _ = Expression.GreaterThan(value, value);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
