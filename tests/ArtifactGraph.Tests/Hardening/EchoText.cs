using System.Text;
using System.Text.Json;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>What a request says, in every form a message could repeat it: raw body, decoded URL, JSON string values unescaped.</summary>
internal static class EchoText
{
    public static string Of(BadRequest request)
    {
        var text = new StringBuilder(DecodeUrl(request.PathAndQuery)).Append('\n');
        foreach (var (_, value) in request.Headers)
        {
            text.Append(value).Append('\n');
        }

        if (request.Body is not { } body)
        {
            return text.ToString();
        }

        var raw = Encoding.UTF8.GetString(body);
        text.Append(raw).Append('\n');
        try
        {
            using var document = JsonDocument.Parse(raw, new JsonDocumentOptions { MaxDepth = 10_000 });
            AppendStrings(document.RootElement, text);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON (or not decodable): the raw text above is all the request says.
        }

        return text.ToString();
    }

    private static void AppendStrings(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                text.Append(element.GetString()).Append('\n');
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AppendStrings(item, text);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    text.Append(property.Name).Append('\n');
                    AppendStrings(property.Value, text);
                }

                break;
        }
    }

    private static string DecodeUrl(string pathAndQuery)
    {
        try
        {
            return Uri.UnescapeDataString(pathAndQuery.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return pathAndQuery;
        }
    }
}
