using System.Globalization;
using System.Text.RegularExpressions;

namespace ArtifactGraph.Server.Configuration;

/// <summary>Parses sizes the way Directus (the <c>bytes</c> package) does: <c>500kb</c>, <c>2mb</c>, <c>1.5gb</c>, <c>1024</c>.</summary>
public static partial class ByteSize
{
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var match = SizePattern().Match(text);
        if (!match.Success || !double.TryParse(match.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var multiplier = match.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "" or "b" => 1L,
            "kb" => 1L << 10,
            "mb" => 1L << 20,
            "gb" => 1L << 30,
            "tb" => 1L << 40,
            _ => 1L << 50,
        };
        var value = Math.Floor(number * multiplier);
        if (value > long.MaxValue)
        {
            return false;
        }

        bytes = (long)value;
        return true;
    }

    [GeneratedRegex(@"^\s*(?<n>\d+(\.\d+)?)\s*(?<unit>b|kb|mb|gb|tb|pb)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
