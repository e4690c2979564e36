using System.Globalization;
using ArtifactGraph.Server.Directus.Scalars;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>Turns filter values (strings, numbers, booleans from GraphQL) into the CLR type of a column, before any SQL.</summary>
public static class ValueParser
{
    public static object? Parse(object? raw, Type target, string op)
    {
        if (raw is null)
        {
            return null;
        }

        var type = Nullable.GetUnderlyingType(target) ?? target;
        if (raw is IDictionary<string, object?> or System.Collections.IList && raw is not string)
        {
            throw DirectusException.InvalidQuery($"The filter value for \"{op}\" has to be a string, number, or boolean");
        }

        if (raw is string { Length: 0 } && type != typeof(string))
        {
            throw DirectusException.InvalidQuery($"You can't filter for an empty string in \"{op}\". Use \"_empty\" or \"_nempty\" instead");
        }

        var text = Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "";
        if (type == typeof(string))
        {
            return CheckText(text, op);
        }

        if (type == typeof(Guid))
        {
            return Guid.TryParse(text, out var g) ? g : null;
        }

        if (type == typeof(long) && raw is string or long or int)
        {
            // Directus hands a big integer (GraphQLBigInt already parsed it) or its text to the database as it is, which
            // takes an integer and nothing else.
            return long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big) ? big : throw InvalidNumeric();
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(double))
        {
            var d = Number(raw, text, op);
            if (type == typeof(double) || d != Math.Floor(d))
            {
                return d;
            }

            return type == typeof(int) && d is >= int.MinValue and <= int.MaxValue ? (int)d : (object)(long)d;
        }

        if (type == typeof(bool))
        {
            return raw is bool b ? b : text is "true" or "1" ? true : text is "false" or "0" ? false
                : throw DirectusException.InvalidQuery($"The filter value for \"{op}\" has to be a boolean");
        }

        if (type == typeof(DateTime))
        {
            return ParseDate(text) ?? throw DirectusException.InvalidQuery($"The filter value for \"{op}\" is not a valid date: \"{Truncate(text)}\"");
        }

        throw DirectusException.InvalidQuery($"Unsupported filter value for \"{op}\"");
    }

    /// <summary>
    /// A number as Directus reads one: a text through JavaScript's <c>Number</c> (<c>Invalid numeric value</c> when it is not
    /// one), a number checked as its <c>validateQuery</c> does. Directus sends an infinite or unsafe text on to the database,
    /// which fails with its SQL; here it is the same <c>Invalid numeric value</c>.
    /// </summary>
    private static double Number(object raw, string text, string op)
    {
        if (raw is string)
        {
            var parsed = JsNumber.Parse(text);
            return double.IsFinite(parsed) && Math.Abs(parsed) <= JsNumber.MaxSafeInteger ? parsed : throw InvalidNumeric();
        }

        var d = Convert.ToDouble(raw, CultureInfo.InvariantCulture);
        return double.IsFinite(d) && Math.Abs(d) <= JsNumber.MaxSafeInteger
            ? d
            : throw DirectusException.InvalidQuery($"The filter value for \"{op}\" is not a valid number");
    }

    private static DirectusException InvalidNumeric() => DirectusException.InvalidQuery("Invalid numeric value");

    /// <summary>The longest text a filter or search compares with (SQLite refuses LIKE patterns past 50,000 bytes).</summary>
    public const int MaxTextLength = 10_000;

    /// <summary>A text a filter may compare with: no NUL (no stored text can hold one; PostgreSQL refuses it) and not huge.</summary>
    public static string CheckText(string text, string op)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw DirectusException.InvalidQuery($"The filter value for \"{op}\" can't contain a NUL character");
        }

        return text.Length > MaxTextLength
            ? throw DirectusException.InvalidQuery($"The filter value for \"{op}\" is longer than {MaxTextLength} characters")
            : text;
    }

    public static DateTime? ParseDate(string text)
    {
        if (text.StartsWith("$NOW", StringComparison.Ordinal))
        {
            return ParseNow(text);
        }

        const DateTimeStyles styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;
        return DateTime.TryParse(text, CultureInfo.InvariantCulture, styles, out var d) ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : null;
    }

    /// <summary>Directus's <c>$NOW</c> and <c>$NOW(-1 day)</c> dynamic values.</summary>
    private static DateTime? ParseNow(string text)
    {
        var now = DateTime.UtcNow;
        if (text == "$NOW")
        {
            return now;
        }

        if (!text.StartsWith("$NOW(", StringComparison.Ordinal) || !text.EndsWith(')'))
        {
            return null;
        }

        var parts = text[5..^1].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        return parts[1].TrimEnd('s') switch
        {
            "year" => now.AddYears(n),
            "month" => now.AddMonths(n),
            "week" => now.AddDays(7 * n),
            "day" => now.AddDays(n),
            "hour" => now.AddHours(n),
            "minute" => now.AddMinutes(n),
            "second" => now.AddSeconds(n),
            _ => null,
        };
    }

    private static string Truncate(string text) => text.Length > 64 ? text[..64] + "…" : text;
}
