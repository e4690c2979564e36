using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ArtifactGraph.Data.Import;

/// <summary>Turns a JSON value of an import document into the CLR value of an EF property.</summary>
internal static class JsonValueConverter
{
    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <exception cref="FormatException">The value does not fit the property.</exception>
    public static object? Convert(IProperty property, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!property.IsNullable)
            {
                throw new FormatException($"column '{property.GetColumnName()}' cannot be null");
            }

            return null;
        }

        if (property.FindAnnotation(DirectusAnnotations.FieldType)?.Value is "json")
        {
            // A json column keeps any JSON value as its compact text, as Directus's JSON.stringify does.
            return JsonSerializer.Serialize(value, CompactJson);
        }

        var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        try
        {
            return ConvertTo(type, value);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or OverflowException)
        {
            throw new FormatException(
                $"column '{property.GetColumnName()}': {value.GetRawText()} is not a valid {Describe(type)}", ex);
        }
    }

    private static object ConvertTo(Type type, JsonElement value)
    {
        if (type == typeof(string))
        {
            return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FormatException();
        }

        if (type == typeof(Guid))
        {
            return Guid.ParseExact(value.GetString()!, "D");
        }

        if (type == typeof(DateTime))
        {
            return ParseTimestamp(value.GetString()!).UtcDateTime;
        }

        if (type == typeof(DateTimeOffset))
        {
            return ParseTimestamp(value.GetString()!).ToUniversalTime();
        }

        if (type == typeof(bool))
        {
            return value.GetBoolean();
        }

        if (type == typeof(int))
        {
            return value.ValueKind == JsonValueKind.String ? int.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt32();
        }

        if (type == typeof(long))
        {
            // Directus sends bigInteger values as strings.
            return value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt64();
        }

        if (type == typeof(short))
        {
            return value.GetInt16();
        }

        if (type == typeof(decimal))
        {
            return value.ValueKind == JsonValueKind.String ? decimal.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetDecimal();
        }

        if (type == typeof(double))
        {
            return value.GetDouble();
        }

        if (type == typeof(float))
        {
            return value.GetSingle();
        }

        throw new NotSupportedException($"The import does not support properties of type {type.Name}.");
    }

    private static DateTimeOffset ParseTimestamp(string text)
        => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces);

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(Guid) => "uuid",
        _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "timestamp",
        _ when type == typeof(bool) => "boolean",
        _ when type == typeof(int) || type == typeof(short) => "integer",
        _ when type == typeof(long) => "big integer",
        _ when type == typeof(string) => "string",
        _ => type.Name,
    };
}
