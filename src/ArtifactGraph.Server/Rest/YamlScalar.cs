using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ArtifactGraph.Server.Rest;

/// <summary>
/// A text as js-yaml's <c>dump</c> writes it with its defaults (lines of 80, single quotes): plain when it reads back as
/// the same text; in single quotes when plain would not (a leading indicator, <c>": "</c>, <c>" #"</c>, a text that
/// reads as a number, boolean, null or date, YAML 1.1's <c>yes</c>/<c>no</c>); in double quotes with escapes when it
/// holds a character that YAML must escape (a tab, a control character, a no-break space); a text of several lines as a
/// literal block (<c>|</c>), or folded (<c>&gt;</c>) when one of its lines is longer than the width. Positions and widths
/// count UTF-16 units, as JavaScript's do.
/// </summary>
internal static partial class YamlScalar
{
    private enum Style { Plain, Single, Literal, Folded, Double }

    private static readonly HashSet<string> Yaml11Booleans = new(StringComparer.Ordinal)
    {
        "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF",
    };

    private static readonly HashSet<string> OtherTypes = new(StringComparer.Ordinal)
    {
        "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "<<",
    };

    /// <param name="level">The nesting level, which sets a block's indent and narrows its width (to no less than 40).</param>
    /// <param name="isKey">A key is written on one line: plain, or in quotes.</param>
    public static string Write(string text, int level, bool isKey)
    {
        if (text.Length == 0)
        {
            return "''";
        }

        if (Yaml11Booleans.Contains(text) || Base60().IsMatch(text))
        {
            return $"'{text}'";
        }

        var indent = 2 * Math.Max(1, level);
        var width = Math.Max(40, 80 - indent);
        return Choose(text, isKey, width) switch
        {
            Style.Plain => text,
            Style.Single => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'",
            Style.Literal => YamlBlock.Literal(text, indent),
            Style.Folded => YamlBlock.Folded(text, indent, width),
            _ => $"\"{Escape(text)}\"",
        };
    }

    /// <summary>js-yaml's <c>chooseScalarStyle</c> for a block context.</summary>
    private static Style Choose(string text, bool singleLine, int width)
    {
        var plain = IsPlainFirst(CodePoint(text, 0)) && IsPlainLast(CodePoint(text, text.Length - 1));
        var hasLineBreak = false;
        var hasFoldableLine = false;
        var previousLineBreak = -1;
        int? previous = null;
        var i = 0;
        for (; i < text.Length; i += CodePoint(text, i) >= 0x10000 ? 2 : 1)
        {
            var c = CodePoint(text, i);
            if (c == '\n' && !singleLine)
            {
                hasLineBreak = true;
                hasFoldableLine |= i - previousLineBreak - 1 > width && text[previousLineBreak + 1] != ' ';
                previousLineBreak = i;
            }
            else if (!IsPrintable(c))
            {
                return Style.Double;
            }

            plain &= IsPlainSafe(c, previous);
            previous = c;
        }

        if (singleLine)
        {
            return plain && !IsOtherType(text) ? Style.Plain : Style.Single;
        }

        hasFoldableLine |= i - previousLineBreak - 1 > width && text[previousLineBreak + 1] != ' ';
        if (!hasLineBreak && !hasFoldableLine)
        {
            return plain && !IsOtherType(text) ? Style.Plain : Style.Single;
        }

        return hasFoldableLine ? Style.Folded : Style.Literal;
    }

    private static int CodePoint(string text, int i)
        => char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];

    private static bool IsPrintable(int c)
        => c is >= 0x20 and <= 0x7E
            || c is >= 0xA1 and <= 0xD7FF and not 0x2028 and not 0x2029
            || c is >= 0xE000 and <= 0xFFFD and not 0xFEFF
            || c is >= 0x10000 and <= 0x10FFFF;

    private static bool IsNsCharOrWhitespace(int c) => IsPrintable(c) && c is not 0xFEFF and not '\r' and not '\n';

    private static bool IsWhitespace(int c) => c is ' ' or '\t';

    /// <summary>js-yaml's <c>isPlainSafe</c> in a block: no <c>" #"</c>, no <c>": "</c>.</summary>
    private static bool IsPlainSafe(int c, int? previous)
    {
        var isNsChar = IsNsCharOrWhitespace(c) && !IsWhitespace(c);
        return IsNsCharOrWhitespace(c) && c != '#' && !(previous == ':' && !isNsChar)
            || previous is { } p && IsNsCharOrWhitespace(p) && !IsWhitespace(p) && c == '#'
            || previous == ':' && isNsChar;
    }

    private static bool IsPlainFirst(int c)
        => IsPrintable(c) && c != 0xFEFF && !IsWhitespace(c) && "-?:,[]{}#&*!|=>'\"%@`".IndexOf((char)c) < 0;

    private static bool IsPlainLast(int c) => !IsWhitespace(c) && c != ':';

    /// <summary>Whether the text would read back as another type of js-yaml's default schema (null, boolean, number, date, merge).</summary>
    private static bool IsOtherType(string text)
        => OtherTypes.Contains(text) || IsInteger(text) || IsFloat(text) || Date().IsMatch(text) || Timestamp().IsMatch(text);

    /// <summary>js-yaml's integer: decimal digits after a sign, or <c>0b</c>, <c>0x</c>, <c>0o</c> digits.</summary>
    private static bool IsInteger(string text)
    {
        var i = text[0] is '-' or '+' ? 1 : 0;
        if (i < text.Length && text[i] == '0')
        {
            if (i + 1 == text.Length)
            {
                return true;
            }

            var digits = text[(i + 2)..];
            switch (text[i + 1])
            {
                case 'b':
                    return digits.Length > 0 && digits.All(c => c is '0' or '1');
                case 'x':
                    return digits.Length > 0 && digits.All(char.IsAsciiHexDigit);
                case 'o':
                    return digits.Length > 0 && digits.All(c => c is >= '0' and <= '7');
            }

            i++;
        }

        var rest = text[i..];
        return rest.Length > 0 && rest.All(char.IsAsciiDigit) && double.IsFinite(double.Parse(text, CultureInfo.InvariantCulture));
    }

    private static bool IsFloat(string text)
        => Float().IsMatch(text)
            && (FloatSpecial().IsMatch(text) || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value));

    private static string Escape(string text)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = CodePoint(text, i);
            var escape = c switch
            {
                0x00 => "\\0", 0x07 => "\\a", 0x08 => "\\b", 0x09 => "\\t", 0x0A => "\\n", 0x0B => "\\v", 0x0C => "\\f",
                0x0D => "\\r", 0x1B => "\\e", 0x22 => "\\\"", 0x5C => "\\\\", 0x85 => "\\N", 0xA0 => "\\_", 0x2028 => "\\L",
                0x2029 => "\\P", _ => null,
            };
            if (escape is null && IsPrintable(c))
            {
                result.Append(text[i]);
                if (c >= 0x10000)
                {
                    result.Append(text[++i]);
                }
            }
            else
            {
                result.Append(escape ?? (c <= 0xFF ? $"\\x{c:X2}" : c <= 0xFFFF ? $"\\u{c:X4}" : $"\\U{c:X8}"));
                if (c >= 0x10000)
                {
                    i++;
                }
            }
        }

        return result.ToString();
    }

    [GeneratedRegex(@"^[-+]?[0-9_]+(?::[0-9_]+)+(?:\.[0-9_]*)?\z")]
    private static partial Regex Base60();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9]+)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\z")]
    private static partial Regex Float();

    [GeneratedRegex(@"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\z")]
    private static partial Regex FloatSpecial();

    [GeneratedRegex(@"^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]\z")]
    private static partial Regex Date();

    [GeneratedRegex(@"^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?\z")]
    private static partial Regex Timestamp();
}
