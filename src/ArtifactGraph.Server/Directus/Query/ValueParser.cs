using System.Globalization;
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

        if (type == typeof(int) || type == typeof(long) || type == typeof(double))
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || double.IsNaN(d) || double.IsInfinity(d)
                || Math.Abs(d) > 9007199254740991d)
            {
                throw DirectusException.InvalidQuery($"The filter value for \"{op}\" is not a valid number");
            }

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
