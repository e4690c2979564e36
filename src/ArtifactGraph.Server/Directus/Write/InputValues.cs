using System.Collections;
using System.Globalization;
using System.Text.Json;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Directus.Write;

/// <summary>
/// Turns the values of a mutation's input (as GraphQL.NET parsed them: strings, numbers, booleans, dictionaries and
/// lists) into the CLR value of a column, before anything reaches the database. A value the column cannot hold is
/// <c>INVALID_PAYLOAD</c>; a null for a field that takes none is Directus's <c>FAILED_VALIDATION</c> (<c>nnull</c>); a text longer than the
/// column is <c>VALUE_TOO_LONG</c> (PostgreSQL would refuse it, SQLite would not: checked here for both).
/// </summary>
public static class InputValues
{
    public static object? ToColumn(FieldModel field, object? raw)
    {
        var property = field.Property!;
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var nullable = !property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) is not null;
        if (raw is null)
        {
            if (!field.IsNullable)
            {
                throw DirectusException.NullNotAllowed(field.Name);
            }

            if (!nullable)
            {
                throw DirectusException.NotNullViolation(field.Collection.Name, field.Name);
            }

            return null;
        }

        // A password would need Directus's argon2 hash; a static token ("conceal") is stored as given, read back masked.
        if (field.Specials.Contains("hash"))
        {
            throw DirectusException.InvalidPayload($"ArtifactGraph does not store passwords; field \"{field.Name}\" can't be written (use a static token)");
        }

        if (field.IsJson)
        {
            return JsonSerializer.Serialize(raw);
        }

        if (field.DirectusType == "csv")
        {
            // Directus's comma-separated lists (cast-csv): a list of strings in GraphQL, one text column.
            return raw is IEnumerable list and not string
                ? string.Join(",", list.Cast<object?>().Select(v => Convert(field, typeof(string), v ?? "")))
                : Convert(field, typeof(string), raw);
        }

        var value = Convert(field, type, raw);
        if (value is string withNul && withNul.Contains('\0', StringComparison.Ordinal))
        {
            // PostgreSQL text cannot hold NUL; refused on both databases alike.
            throw DirectusException.InvalidPayload($"\"{field.Name}\" in collection \"{field.Collection.Name}\" can't contain a NUL character");
        }

        if (value is string text && field.MaxLength is { } max && text.Length > max)
        {
            throw DirectusException.ValueTooLong(field.Collection.Name, field.Name, text.Length > 64 ? text[..64] + "…" : text);
        }

        return value;
    }

    /// <summary>A key as the GraphQL <c>ID</c> type delivers it (string or number), or null when it is not a valid key.</summary>
    public static object? ToKey(CollectionModel collection, object? raw) => Items.ItemKeys.From(collection, raw);

    /// <summary>The text of a payload value for an error message: the key of a nested item, or the value itself.</summary>
    public static string? Describe(CollectionModel collection, string field, object? raw)
    {
        if (raw is IDictionary<string, object?> nested)
        {
            var related = collection.Field(field)?.Related;
            return related is not null && nested.TryGetValue(related.PrimaryKey.Name, out var key) ? Describe(related, related.PrimaryKey.Name, key) : null;
        }

        return raw switch
        {
            null => null,
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            _ => null,
        };
    }

    private static object Convert(FieldModel field, Type type, object raw)
    {
        if (raw is IDictionary or (IEnumerable and not string))
        {
            throw Invalid(field, "has to be a single value");
        }

        if (type == typeof(string))
        {
            return raw as string ?? System.Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "";
        }

        if (type == typeof(Guid))
        {
            return raw is string s && Guid.TryParse(s, out var g) ? g : throw Invalid(field, "has to be a UUID");
        }

        if (type == typeof(DateTime))
        {
            return raw is string d && ValueParser.ParseDate(d) is { } date && !d.StartsWith('$') ? date : throw Invalid(field, "has to be an ISO 8601 date");
        }

        if (type == typeof(bool))
        {
            return raw is bool b ? b : throw Invalid(field, "has to be a boolean");
        }

        try
        {
            return type switch
            {
                _ when type == typeof(int) => System.Convert.ToInt32(raw, CultureInfo.InvariantCulture),
                _ when type == typeof(long) => System.Convert.ToInt64(raw, CultureInfo.InvariantCulture),
                _ when type == typeof(double) => System.Convert.ToDouble(raw, CultureInfo.InvariantCulture),
                _ when type == typeof(decimal) => System.Convert.ToDecimal(raw, CultureInfo.InvariantCulture),
                _ => throw Invalid(field, "has an unsupported type"),
            };
        }
        catch (Exception ex) when (ex is OverflowException)
        {
            throw DirectusException.ValueOutOfRange(field.Collection.Name, field.Name, Describe(field.Collection, field.Name, raw));
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException)
        {
            throw Invalid(field, "has to be a number");
        }
    }

    private static DirectusException Invalid(FieldModel field, string problem)
        => DirectusException.InvalidPayload($"\"{field.Name}\" in collection \"{field.Collection.Name}\" {problem}");
}
