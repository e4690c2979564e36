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
/// never a value that went through .NET and back. Only whether the last row's first key is null is read in .NET: it
/// picks the part of the list (values or nulls of that key) the next batch reads by a plain range (see <see cref="Where{T}"/>).
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
    /// Where the batch after the row <paramref name="lastKey"/> continues, <paramref name="firstValue"/> being that row's
    /// value of the first key: within the part of the list holding that row (the first key's values or its nulls, when
    /// it is nullable; the whole list when it is not).
    /// </summary>
    public KeysetCursor After(object lastKey, object? firstValue)
        => new(lastKey, !Nullable(Keys[0].Field.Property!.PropertyType) ? KeysetPart.All : firstValue is null ? KeysetPart.Nulls : KeysetPart.Values);

    /// <summary>
    /// The part of the list that follows <paramref name="cursor"/>'s part once it is read to its end, from its start: the
    /// nulls of the first key after its values ascending, its values after its nulls descending; null when the list ends.
    /// </summary>
    public KeysetCursor? Following(KeysetCursor cursor)
        => (cursor.Part, Keys[0].Descending) switch
        {
            (KeysetPart.Values, false) => new KeysetCursor(null, KeysetPart.Nulls),
            (KeysetPart.Nulls, true) => new KeysetCursor(null, KeysetPart.Values),
            _ => null,
        };

    /// <summary>
    /// <c>x =&gt;</c> x is in <paramref name="cursor"/>'s part and sorts after its row. Each part is a plain condition on
    /// the first key that a database can read from an index in order and stop at the limit: <c>k1 IS NULL</c>; or
    /// <c>k1 &gt;= last</c> (<c>&lt;=</c> descending), which leaves out the nulls; or <c>k1 IS NOT NULL</c> for the values
    /// from their start. A single "after" predicate that lets nulls in through an OR makes PostgreSQL read and sort every
    /// row after the cursor, for each batch. The rows after the cursor's row are those where, for some key, every key
    /// before it is equal and this one comes after (null-safe, nulls where the sort puts them).
    /// </summary>
    public Expression<Func<T, bool>>? Where<T>(IQueryable<T> set, FieldModel primaryKey, KeysetCursor cursor)
        where T : class
    {
        var x = Expression.Parameter(typeof(T), "x");
        var y = Expression.Parameter(typeof(T), "y");
        var (firstField, firstDescending) = Keys[0];
        var first = Expression.Property(x, firstField.Property!);
        Expression? last = null;
        if (cursor.LastKey is { } lastKey)
        {
            var keyType = primaryKey.Property!.PropertyType;
            var box = Activator.CreateInstance(typeof(StrongBox<>).MakeGenericType(keyType), lastKey)!;
            // A field of a constant: EF Core sends it as a parameter, so every batch has the same SQL text.
            var isLast = Expression.Lambda<Func<T, bool>>(
                Expression.Equal(Expression.Property(y, primaryKey.Property), Expression.Field(Expression.Constant(box), "Value")), y);
            last = Queryable.Where(set, isLast).Expression;
        }

        Expression? part = (cursor.Part, last) switch
        {
            (KeysetPart.Nulls, _) => IsNull(first),
            (KeysetPart.Values, null) => Expression.Not(IsNull(first)),
            (_, not null) => Range(first, Scalar(last, y, firstField.Property!), firstDescending),
            _ => null,
        };
        if (last is not null)
        {
            // Among the nulls, the first key is equal in every row: the order is the next keys'.
            var after = After(x, y, last, cursor.Part == KeysetPart.Nulls ? 1 : 0);
            part = after is null ? part : part is null ? after : Expression.AndAlso(part, after);
        }

        return part is null ? null : Expression.Lambda<Func<T, bool>>(part, x);
    }

    private Expression? After(ParameterExpression x, ParameterExpression y, Expression last, int from)
    {
        Expression? any = null;
        Expression equalSoFar = Expression.Constant(true);
        foreach (var (field, descending) in Keys.Skip(from))
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

        return any;
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

    /// <summary><c>mine &gt;= theirs</c>, or <c>mine &lt;= theirs</c> descending: the column first, as an index condition reads.</summary>
    private static Expression Range(Expression mine, Expression theirs, bool descending)
    {
        var type = descending ? ExpressionType.LessThanOrEqual : ExpressionType.GreaterThanOrEqual;
        return mine.Type == typeof(string)
            ? Expression.MakeBinary(type, Expression.Call(StringCompare, mine, theirs), Expression.Constant(0))
            : Expression.MakeBinary(type, mine, theirs);
    }

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

/// <summary>The parts of a list sorted by a nullable first key that a batch reads one at a time (see <see cref="KeysetOrder.Where{T}"/>).</summary>
public enum KeysetPart
{
    /// <summary>The whole list: its first key is never null.</summary>
    All,

    /// <summary>The rows whose first key has a value.</summary>
    Values,

    /// <summary>The rows whose first key is null.</summary>
    Nulls,
}

/// <summary>Where a batch continues: the rows of <paramref name="Part"/> after the row <paramref name="LastKey"/> (from the part's start when null).</summary>
public readonly record struct KeysetCursor(object? LastKey, KeysetPart Part);
