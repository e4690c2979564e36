using System.Text.Json;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Http;

/// <summary>A REST JSON body as the item writer takes it: strings, numbers, booleans, null, lists and nested objects.</summary>
internal static class JsonBody
{
    public static IDictionary<string, object?> ReadObject(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (IDictionary<string, object?>)Value(document.RootElement)!
                : throw DirectusException.InvalidPayload("The body must be a JSON object");
        }
        catch (JsonException)
        {
            throw DirectusException.InvalidPayload("The body is not valid JSON");
        }
    }

    private static object? Value(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => Value(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Select(Value).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole : element.GetDecimal(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
