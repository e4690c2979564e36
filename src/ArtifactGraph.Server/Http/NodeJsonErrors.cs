using System.Text;
using System.Text.Json;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// Words a JSON syntax error the way Node's <c>JSON.parse</c> (V8) does, since Directus passes that text on
/// (<c>Invalid payload. Unexpected end of JSON input.</c>).
/// </summary>
internal static class NodeJsonErrors
{
    private const int ContextChars = 10;

    public static string Describe(string text, JsonException error)
    {
        var position = Offset(text, (int)(error.LineNumber ?? 0), (int)(error.BytePositionInLine ?? 0));
        if (position >= text.TrimEnd().Length)
        {
            return "Unexpected end of JSON input";
        }

        var token = text[position];
        if (text.Length < ContextChars * 2 + 1)
        {
            return $"Unexpected token '{token}', \"{text}\" is not valid JSON";
        }

        if (position < ContextChars)
        {
            return $"Unexpected token '{token}', \"{text[..(position + ContextChars)]}\"... is not valid JSON";
        }

        return position < text.Length - ContextChars
            ? $"Unexpected token '{token}', ...\"{text[(position - ContextChars)..(position + ContextChars)]}\"... is not valid JSON"
            : $"Unexpected token '{token}', ...\"{text[(position - ContextChars)..]}\" is not valid JSON";
    }

    /// <summary>System.Text.Json reports a 0-based line and a UTF-8 byte offset in it; V8 counts UTF-16 units.</summary>
    private static int Offset(string text, int line, int bytePositionInLine)
    {
        var index = 0;
        for (var l = 0; l < line && index < text.Length; index++)
        {
            if (text[index] == '\n')
            {
                l++;
            }
        }

        var bytes = 0;
        while (index < text.Length && bytes < bytePositionInLine)
        {
            bytes += Encoding.UTF8.GetByteCount(text.AsSpan(index, char.IsHighSurrogate(text[index]) && index + 1 < text.Length ? 2 : 1));
            index += char.IsHighSurrogate(text[index]) ? 2 : 1;
        }

        return Math.Min(index, text.Length);
    }
}
