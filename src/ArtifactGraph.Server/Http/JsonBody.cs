using System.Text;
using System.Text.Json;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Json;

namespace ArtifactGraph.Server.Http;

/// <summary>A REST JSON body as the item writer takes it, read by <see cref="ClientJson"/> (last repeated key wins).</summary>
internal static class JsonBody
{
    public static IDictionary<string, object?> ReadObject(byte[] body)
    {
        using var document = ClientJson.Parse(Encoding.UTF8.GetString(body), DirectusException.InvalidPayload);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? (IDictionary<string, object?>)ClientJson.ToValue(document.RootElement)!
            : throw DirectusException.InvalidPayload("The body must be a JSON object");
    }
}
