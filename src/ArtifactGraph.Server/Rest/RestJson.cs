using System.Globalization;
using System.Text.Json;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Directus.Scalars;
using ArtifactGraph.Server.Directus.Schema;
using ArtifactGraph.Server.Json;

namespace ArtifactGraph.Server.Rest;

/// <summary>
/// Writes items of a loaded <see cref="RestSelection"/> as Directus's REST API answers them on PostgreSQL: keys as the
/// database holds them (UUIDs as text, integers as numbers), big integers and counts as text (node-postgres's int8),
/// timestamps in UTC with milliseconds, JSON as JSON, csv fields as lists, hashes masked.
/// </summary>
internal static class RestJson
{
    /// <summary>A list of items: a JSON array.</summary>
    public static void WriteItems(Utf8JsonWriter writer, RestSelection selection, IReadOnlyList<object> rows)
    {
        writer.WriteStartArray();
        foreach (var row in rows)
        {
            WriteItem(writer, selection, row);
        }

        writer.WriteEndArray();
    }

    public static void WriteItem(Utf8JsonWriter writer, RestSelection selection, object row)
    {
        writer.WriteStartObject();
        var fields = selection.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            writer.WritePropertyName(field.EncodedKey);
            switch (field.Output)
            {
                case RestOutput.Value when field.Writer is { } write:
                    write(writer, row);
                    break;
                case RestOutput.Value:
                    WriteValue(writer, field.Field!, field.Field!.Getter(row));
                    break;
                case RestOutput.Item:
                    if (field.RelatedItem(row) is { } item)
                    {
                        WriteItem(writer, field.ChildSelection!, item);
                    }
                    else
                    {
                        writer.WriteNullValue();
                    }

                    break;
                case RestOutput.Items:
                case RestOutput.Keys:
                    writer.WriteStartArray();
                    var children = field.Children(selection.Collection, row);
                    var key = field.Field!.Related!.PrimaryKey;
                    for (var c = 0; c < children.Count; c++)
                    {
                        if (field.Output == RestOutput.Keys)
                        {
                            WriteItemKey(writer, key, children[c]);
                        }
                        else
                        {
                            WriteItem(writer, field.ChildSelection!, children[c]);
                        }
                    }

                    writer.WriteEndArray();
                    break;
                case RestOutput.DatePart:
                    if (new DateParts((DateTime?)field.Field!.Getter(row)).Part(field.Function!) is { } part)
                    {
                        writer.WriteStringValue(part.ToString(CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        writer.WriteNullValue();
                    }

                    break;
                case RestOutput.JsonCount:
                    if (new JsonFunctionSource(ObjectTypes.ParseJson(field.Field!.Getter(row) as string)).Count() is { } length)
                    {
                        writer.WriteNumberValue(length);
                    }
                    else
                    {
                        writer.WriteNullValue();
                    }

                    break;
                case RestOutput.RowCount:
                    var count = field.Items.GetValueOrDefault(selection.Collection.PrimaryKey.Getter(row)!) as int? ?? 0;
                    writer.WriteStringValue(count.ToString(CultureInfo.InvariantCulture));
                    break;
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteItemKey(Utf8JsonWriter writer, FieldModel key, object row)
    {
        if (GraphQL.Direct.DirectScalarWriters.ForRest(key) is { } write)
        {
            write(writer, row);
        }
        else
        {
            WriteValue(writer, key, key.Getter(row));
        }
    }

    /// <summary>A column value as Directus's REST API gives it.</summary>
    public static void WriteValue(Utf8JsonWriter writer, FieldModel field, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case Guid g:
                writer.WriteStringValue(g);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case string s when field.DirectusType == "hash":
                writer.WriteStringValue("**********");
                break;
            case string s when field.IsJson:
                JsonColumn.Write(writer, s);
                break;
            case string s when field.DirectusType == "csv":
                writer.WriteStartArray();
                foreach (var part in s.Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    writer.WriteStringValue(part);
                }

                writer.WriteEndArray();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case long l:
                writer.WriteStringValue(l.ToString(CultureInfo.InvariantCulture));
                break;
            case decimal m:
                writer.WriteStringValue(m.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case float f:
                writer.WriteNumberValue(f);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case DateTime date:
                writer.WriteStringValue(DateScalar.Format(date));
                break;
            case var other:
                writer.WriteStringValue(Convert.ToString(other, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>
    /// The rows of an aggregate read as Directus answers them: the group fields at the top, then each function with its
    /// fields (<c>{"count": {"id": "3"}}</c>), or the function's value itself for <c>*</c> (<c>{"count": "14"}</c>). Counts,
    /// sums and averages are text, as PostgreSQL's bigint and numeric reach Directus; minimum and maximum keep the column's type.
    /// </summary>
    public static void WriteAggregates(
        Utf8JsonWriter writer, IReadOnlyList<AggregateRow> rows, IReadOnlyList<(string Aggregate, string? Field)> requested, CollectionModel collection)
    {
        writer.WriteStartArray();
        foreach (var row in rows)
        {
            writer.WriteStartObject();
            foreach (var (name, value) in row.Group ?? [])
            {
                writer.WritePropertyName(name);
                WriteAggregateValue(writer, "group", collection.Field(name), value);
            }

            foreach (var group in requested.GroupBy(r => r.Aggregate))
            {
                writer.WritePropertyName(group.Key);
                if (group.Any(r => r.Field is null))
                {
                    WriteAggregateValue(writer, "count", null, row.CountAll);
                    continue;
                }

                writer.WriteStartObject();
                var values = row.Values(group.Key);
                foreach (var field in group.Select(r => r.Field!).Distinct())
                {
                    writer.WritePropertyName(field);
                    WriteAggregateValue(writer, group.Key, collection.Field(field), values.GetValueOrDefault(field));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteAggregateValue(Utf8JsonWriter writer, string aggregate, FieldModel? field, object? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else if (aggregate.StartsWith("count", StringComparison.Ordinal) || aggregate.StartsWith("sum", StringComparison.Ordinal)
                 || aggregate.StartsWith("avg", StringComparison.Ordinal))
        {
            writer.WriteStringValue(value switch
            {
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            });
        }
        else if (field is not null && value is not string)
        {
            WriteValue(writer, field, value);
        }
        else
        {
            JsonSerializer.Serialize(writer, value, value.GetType());
        }
    }
}
