using System.Globalization;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Promotion;

/// <summary>
/// The <c>context_version</c> a promotion expects, from the <c>ifMatch</c> argument or the HTTP <c>If-Match</c>
/// header: a number, quoted or not (<c>3</c> or <c>"3"</c>). <c>*</c> (any version) and an empty header expect nothing.
/// </summary>
public static class IfMatch
{
    /// <exception cref="DirectusException">INVALID_PAYLOAD: the header is malformed, or it and the argument differ.</exception>
    public static int? Resolve(string? header, int? argument)
    {
        var fromHeader = ParseHeader(header);
        if (fromHeader is { } h && argument is { } a && h != a)
        {
            throw DirectusException.InvalidPayload($"The If-Match header ({h}) and the ifMatch argument ({a}) differ");
        }

        return argument ?? fromHeader;
    }

    public static int? ParseHeader(string? header)
    {
        var text = header?.Trim();
        if (string.IsNullOrEmpty(text) || text == "*")
        {
            return null;
        }

        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            text = text[1..^1];
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw DirectusException.InvalidPayload(
                "The If-Match header must be the project's context_version, a whole number such as 3 or \"3\"");
    }
}
