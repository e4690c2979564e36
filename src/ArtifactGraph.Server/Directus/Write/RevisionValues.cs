using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ArtifactGraph.Server.Directus.Model;

namespace ArtifactGraph.Server.Directus.Write;

/// <summary>
/// The values of a revision's <c>data</c> and <c>delta</c> as Directus writes them (its PayloadService's read casts):
/// timestamps as ISO 8601 with milliseconds and <c>Z</c>, JSON as JSON, big integers and decimals as text, csv as a
/// list, hashed and concealed values masked.
/// </summary>
public static class RevisionValues
{
    private const string Masked = "**********";

    /// <summary>The fields named, in that order, read from the entity; names that are not scalar fields are left out.</summary>
    public static JsonObject Of(CollectionModel c, object entity, IEnumerable<string> fields, bool withManyToOne)
    {
        var result = new JsonObject();
        foreach (var name in fields)
        {
            if (c.Field(name) is { } field && !result.ContainsKey(name)
                && (field.Kind == FieldKind.Scalar || (withManyToOne && field.Kind == FieldKind.ManyToOne)))
            {
                result[name] = Value(field, field.Getter(entity));
            }
        }

        return result;
    }

    /// <summary>The item as a revision's <c>data</c> after an update: every field but the relational ones.</summary>
    public static JsonObject Snapshot(CollectionModel c, object entity)
        => Of(c, entity, c.Fields.Where(f => f.Kind == FieldKind.Scalar).Select(f => f.Name), withManyToOne: false);

    /// <summary>
    /// An update's <c>delta</c> (the fields written, many-to-one keys included, as <see cref="Of"/> with
    /// <c>withManyToOne</c>) and <c>data</c> (<see cref="Snapshot"/>). A scalar field's value in the delta is a copy of the
    /// one in the data: a JSON value (a project's whole context, say) is parsed once, not once for each.
    /// </summary>
    public static (JsonObject Delta, JsonObject Data) Updated(CollectionModel c, object entity, IEnumerable<string> written)
    {
        var data = Snapshot(c, entity);
        var delta = new JsonObject();
        foreach (var name in written)
        {
            if (c.Field(name) is { } field && !delta.ContainsKey(name) && field.Kind is FieldKind.Scalar or FieldKind.ManyToOne)
            {
                delta[name] = field.Kind == FieldKind.Scalar && data.TryGetPropertyValue(name, out var value)
                    ? value?.DeepClone()
                    : Value(field, field.Getter(entity));
            }
        }

        return (delta, data);
    }

    public static JsonNode? Value(FieldModel field, object? value)
    {
        if (value is null)
        {
            return null;
        }

        if (field.Specials.Contains("hash") || field.Specials.Contains("conceal"))
        {
            return Masked;
        }

        return value switch
        {
            string json when field.IsJson => ParseJson(json),
            string csv when field.DirectusType == "csv" => new JsonArray(csv.Split(',').Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
            string s => s,
            Guid g => g.ToString("D"),
            DateTime d => DateTime.SpecifyKind(d, d.Kind == DateTimeKind.Local ? DateTimeKind.Local : DateTimeKind.Utc).ToUniversalTime()
                .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            DateTimeOffset o => o.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            long l => l.ToString(CultureInfo.InvariantCulture),
            decimal m => m.ToString(CultureInfo.InvariantCulture),
            bool b => b,
            int i => i,
            double x => x,
            float f => f,
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }

    private static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
