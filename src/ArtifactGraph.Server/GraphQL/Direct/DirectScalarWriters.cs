using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using ArtifactGraph.Server.Directus.Model;
using GraphQL.Types;

namespace ArtifactGraph.Server.GraphQL.Direct;

/// <summary>
/// Writers of the common scalar columns (uuid, integer and plain text read as <c>ID</c>, <c>Int</c> or <c>String</c>)
/// straight from the entity's typed property: the same JSON the general path writes (getter, <c>OutputValue</c>, the
/// scalar's <c>Serialize</c>), without boxing every id and number of the answer on the way. Any other column takes
/// the general path.
/// </summary>
internal static class DirectScalarWriters
{
    private static readonly ConcurrentDictionary<(FieldModel Field, IGraphType Type), Action<Utf8JsonWriter, object>?> Cache = new();

    /// <summary>The writer of <paramref name="field"/> as a value of <paramref name="type"/>; null when the general path must write it.</summary>
    public static Action<Utf8JsonWriter, object>? For(FieldModel field, IGraphType type) => Cache.GetOrAdd((field, type), key => Build(key.Field, key.Type));

    private static Action<Utf8JsonWriter, object>? Build(FieldModel field, IGraphType type)
    {
        var nonNull = type is NonNullGraphType;
        var scalar = type is NonNullGraphType wrapper ? wrapper.ResolvedType : type;
        if (field.IsJson)
        {
            // A json column as the resolver gives it (the text parsed, or a JSON string when it is not JSON), written by
            // JsonColumn without a trip through the serializer; a non-null field takes the general path, which knows what
            // a null there means.
            return field.Property?.PropertyType == typeof(string) && type?.GetType() == typeof(Directus.Scalars.JsonScalar)
                ? (writer, row) => WriteJson(writer, (string?)field.Getter(row))
                : null;
        }

        if (field.Property is not { } property)
        {
            return null;
        }

        var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        // Exact scalar types: a scalar derived from one of these may serialize differently.
        var scalarType = scalar?.GetType();
        var text = scalarType == typeof(IdGraphType) || scalarType == typeof(StringGraphType);
        string? method = null;
        if (valueType == typeof(Guid) && text)
        {
            method = nameof(WriteGuid);
        }
        else if (valueType == typeof(int) && scalarType == typeof(IntGraphType) && !field.IsPrimaryKey)
        {
            method = nameof(WriteInt);
        }
        else if (valueType == typeof(int) && scalarType == typeof(IdGraphType) && field.IsPrimaryKey)
        {
            method = nameof(WriteIntAsText);
        }
        else if (valueType == typeof(string) && text && field.DirectusType != "csv")
        {
            method = nameof(WriteString);
        }

        if (method is null)
        {
            return null;
        }

        return Compile(property, method, nonNull);
    }

    private static readonly ConcurrentDictionary<FieldModel, Action<Utf8JsonWriter, object>?> RestCache = new();

    /// <summary>
    /// The writer of <paramref name="field"/> as Directus's REST API writes it (uuid as text, integers as numbers, keys too,
    /// plain text); null when the general path must write it (JSON, csv, hashes, dates, big integers…).
    /// </summary>
    public static Action<Utf8JsonWriter, object>? ForRest(FieldModel field) => RestCache.GetOrAdd(field, f =>
    {
        if (f.Property is not { } property || f.IsJson || f.DirectusType is "csv" or "hash")
        {
            return null;
        }

        var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var method = valueType == typeof(Guid) ? nameof(WriteGuid)
            : valueType == typeof(int) ? nameof(WriteInt)
            : valueType == typeof(string) ? nameof(WriteString)
            : null;
        return method is null ? null : Compile(property, method, nonNull: false);
    });

    private static Action<Utf8JsonWriter, object> Compile(PropertyInfo property, string method, bool nonNull)
    {
        var target = typeof(DirectScalarWriters).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!;
        var writer = Expression.Parameter(typeof(Utf8JsonWriter), "writer");
        var row = Expression.Parameter(typeof(object), "row");
        var value = Expression.Property(Expression.Convert(row, property.DeclaringType!), property);
        var argument = value.Type == target.GetParameters()[1].ParameterType ? (Expression)value : Expression.Convert(value, target.GetParameters()[1].ParameterType);
        return Expression.Lambda<Action<Utf8JsonWriter, object>>(
            Expression.Call(target, writer, argument, Expression.Constant(nonNull)), writer, row).Compile();
    }

    /// <summary>What <see cref="Directus.Schema.ObjectTypes.ParseJson"/> gives, written: the JSON text's value, or the text as a JSON string.</summary>
    private static void WriteJson(Utf8JsonWriter writer, string? text)
    {
        if (text is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            Json.JsonColumn.Write(writer, text);
        }
    }

    /// <summary>A uuid as the ID and String scalars give it: its "D" text.</summary>
    private static void WriteGuid(Utf8JsonWriter writer, Guid? value, bool nonNull)
    {
        if (value is { } guid)
        {
            writer.WriteStringValue(guid);
        }
        else
        {
            WriteNull(writer, nonNull);
        }
    }

    private static void WriteInt(Utf8JsonWriter writer, int? value, bool nonNull)
    {
        if (value is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            WriteNull(writer, nonNull);
        }
    }

    /// <summary>An integer primary key as the ID scalar gives it: its text.</summary>
    private static void WriteIntAsText(Utf8JsonWriter writer, int? value, bool nonNull)
    {
        if (value is { } number)
        {
            Span<byte> text = stackalloc byte[11];
            number.TryFormat(text, out var length, default, CultureInfo.InvariantCulture);
            writer.WriteStringValue(text[..length]);
        }
        else
        {
            WriteNull(writer, nonNull);
        }
    }

    private static void WriteString(Utf8JsonWriter writer, string? value, bool nonNull)
    {
        if (value is not null)
        {
            writer.WriteStringValue(value);
        }
        else
        {
            WriteNull(writer, nonNull);
        }
    }

    /// <summary>A null in a non-null field is an error the engine reports: the query goes there instead.</summary>
    private static void WriteNull(Utf8JsonWriter writer, bool nonNull)
    {
        if (nonNull)
        {
            throw new DirectQueryUnsupportedException();
        }

        writer.WriteNullValue();
    }
}
