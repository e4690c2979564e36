using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace ArtifactGraph.Server.Directus.Scalars;

/// <summary>
/// JavaScript's <c>Number(text)</c> and <c>BigInt(text)</c>, which Directus applies to filter values and to its
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
