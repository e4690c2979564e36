using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace ArtifactGraph.Server.Directus.Scalars;

/// <summary>
/// JavaScript's <c>Number(text)</c>, <c>String(number)</c> and <c>BigInt(text)</c>, which Directus applies to filter values and to its
/// <c>GraphQLBigInt</c> scalar: surrounding white space is ignored, an empty text is 0, <c>0x</c>/<c>0o</c>/<c>0b</c>
/// prefixes and exponents are numbers.
/// </summary>
public static partial class JsNumber
{
    /// <summary><c>Number.MAX_SAFE_INTEGER</c>.</summary>
    public const double MaxSafeInteger = 9007199254740991d;

    /// <summary><c>Number(text)</c>: NaN when the text is not a number.</summary>
    public static double Parse(string text)
    {
        var t = Trim(text);
        if (t.Length == 0)
        {
            return 0;
        }

        if (TryParsePrefixed(t, out var prefixed))
        {
            return (double)prefixed;
        }

        return t switch
        {
            "Infinity" or "+Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ when DecimalLiteral().IsMatch(t) => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => double.NaN,
        };
    }

    /// <summary>
    /// <c>String(number)</c> (ECMAScript's Number::toString), as js2xmlparser and js-yaml write the values Directus parsed:
    /// the shortest digits that read back as the same double, positional from 1e-6 to below 1e21 (<c>0.000001</c>,
    /// <c>123</c>), in exponent form outside (<c>1e-7</c>, <c>1.5e+21</c>).
    /// </summary>
    public static string ToText(double value)
    {
        if (value == 0)
        {
            return "0";
        }

        // "R" gives the shortest round-trip digits, as [-]d[.ddd][E±x]: read them and the exponent, then lay them out again.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var sign = text[0] == '-' ? "-" : "";
        text = text.TrimStart('-');
        var e = text.IndexOf('E');
        var exponent = e < 0 ? 0 : int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? text : text[..e];
        var point = mantissa.IndexOf('.');
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        // n: where the decimal point falls in the digits (value = 0.digits × 10^n).
        var n = (point < 0 ? mantissa.Length : point) + exponent;
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        n -= leading;
        var k = digits.Length;
        if (k <= n && n <= 21)
        {
            return sign + digits + new string('0', n - k);
        }

        if (0 < n && n <= 21)
        {
            return sign + digits[..n] + "." + digits[n..];
        }

        if (-6 < n && n <= 0)
        {
            return sign + "0." + new string('0', -n) + digits;
        }

        var power = n - 1;
        var exponentText = (power < 0 ? "e-" : "e+") + Math.Abs(power).ToString(CultureInfo.InvariantCulture);
        return sign + (k == 1 ? digits : digits[..1] + "." + digits[1..]) + exponentText;
    }

    /// <summary><c>BigInt(text)</c>: false where JavaScript throws <c>SyntaxError: Cannot convert … to a BigInt</c>.</summary>
    public static bool TryParseBigInt(string text, out BigInteger value)
    {
        var t = Trim(text);
        if (t.Length == 0)
        {
            value = BigInteger.Zero;
            return true;
        }

        return TryParsePrefixed(t, out value)
            || (IntegerLiteral().IsMatch(t) && BigInteger.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value));
    }

    /// <summary><c>Number.isSafeInteger(value)</c>.</summary>
    public static bool IsSafeInteger(double value) => Math.Floor(value) == value && Math.Abs(value) <= MaxSafeInteger;

    private static string Trim(string text) => text.Trim().Trim('\uFEFF');

    private static bool TryParsePrefixed(string t, out BigInteger value)
    {
        value = BigInteger.Zero;
        if (t.Length < 3 || t[0] != '0')
        {
            return false;
        }

        var radix = char.ToLowerInvariant(t[1]) switch { 'x' => 16, 'o' => 8, 'b' => 2, _ => 0 };
        if (radix == 0)
        {
            return false;
        }

        foreach (var c in t[2..])
        {
            var digit = HexDigit(c);
            if (digit < 0 || digit >= radix)
            {
                value = BigInteger.Zero;
                return false;
            }

            value = value * radix + digit;
        }

        return true;
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    [GeneratedRegex(@"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalLiteral();

    [GeneratedRegex(@"^[+-]?\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerLiteral();
}
