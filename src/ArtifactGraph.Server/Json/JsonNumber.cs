using System.Globalization;
using System.Text.Json;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Json;

/// <summary>
/// The one rule for a number a client sends (JSON or a GraphQL literal): a whole number that fits 64 bits stays whole, then
/// an exact decimal, then a finite double. Beyond a double (<c>1e400</c>, <c>-1e309</c>) there is no value to store or
/// answer (JavaScript would make it <c>Infinity</c>, which JSON cannot hold), so it is <c>INVALID_PAYLOAD</c>.
/// </summary>
internal static class JsonNumber
{
    public static object Read(JsonElement element)
        => element.TryGetInt64(out var whole) ? whole
            : element.TryGetDecimal(out var exact) ? exact
            : element.TryGetDouble(out var real) && double.IsFinite(real) ? real
            : throw OutOfRange(element.GetRawText());

    /// <summary>A GraphQL Int or Float literal's text (always valid number syntax).</summary>
    public static object Parse(ReadOnlySpan<char> text)
        => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) ? whole
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real) ? real
            : throw OutOfRange(text.ToString());

    private static DirectusException OutOfRange(string text)
        => DirectusException.InvalidPayload($"The number {(text.Length > 40 ? text[..40] + "…" : text)} is out of range");
}
