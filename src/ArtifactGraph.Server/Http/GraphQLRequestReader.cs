using System.Text;
using System.Text.Json;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Server.Json;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// Directus's request parsing (<c>middleware/graphql.ts</c>): GET reads only the URL, POST reads a JSON body
/// (unknown keys ignored, null = absent) or, as our one extension, a raw <c>application/graphql</c> body.
/// </summary>
internal static class GraphQLRequestReader
{
    public static GraphQLRequest FromQueryString(IQueryCollection query)
    {
        var text = query["query"].ToString();
        if (string.IsNullOrEmpty(text))
        {
            throw DirectusErrors.MissingQuery();
        }

        JsonElement? variables = null;
        var rawVariables = query["variables"].ToString();
        if (!string.IsNullOrEmpty(rawVariables))
        {
            using var parsed = ClientJson.Parse(rawVariables, _ => DirectusException.InvalidQuery("Variables are invalid JSON"));
            variables = parsed.RootElement.ValueKind == JsonValueKind.Null ? null : parsed.RootElement.Clone();
        }

        var operationName = query["operationName"].ToString();
        return new GraphQLRequest(text, variables, string.IsNullOrEmpty(operationName) ? null : operationName);
    }

    /// <summary>
    /// A POST body is JSON or raw GraphQL; any other declared type is a 415 before the body is read. A POST without
    /// Content-Type goes on to Directus's "Must provide query string".
    /// </summary>
    public static void CheckContentType(string? contentType)
    {
        if (MediaTypeOf(contentType) is { } mediaType && mediaType is not ("application/json" or "application/graphql"))
        {
            throw DirectusErrors.UnsupportedMediaType(mediaType);
        }
    }

    /// <summary>Builds the request from a POST body; <paramref name="json"/> is what <see cref="ParseJson"/> returned.</summary>
    public static GraphQLRequest FromBody(string? contentType, byte[] body, JsonDocument? json)
        => MediaTypeOf(contentType) switch
        {
            "application/json" => FromJson(json),
            "application/graphql" => Encoding.UTF8.GetString(body) is { Length: > 0 } text
                ? new GraphQLRequest(text, null, null)
                : throw DirectusErrors.MissingQuery(),
            _ => throw DirectusErrors.MissingQuery(),
        };

    /// <summary>Parses the JSON first (so bad JSON is reported even when no query could follow), as body-parser does.</summary>
    public static JsonDocument? ParseJson(string? contentType, byte[] body)
    {
        if (MediaTypeOf(contentType) != "application/json" || body.Length == 0)
        {
            return null;
        }

        return ClientJson.Parse(Encoding.UTF8.GetString(body), DirectusException.InvalidPayload);
    }

    private static string? MediaTypeOf(string? contentType)
        => contentType?.Split(';')[0].Trim().ToLowerInvariant() is { Length: > 0 } mediaType ? mediaType : null;

    private static GraphQLRequest FromJson(JsonDocument? document)
    {
        try
        {
            return FromJsonStrings(document);
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to turn an unpaired UTF-16 surrogate escape ("\ud800") into a string.
            throw DirectusException.InvalidPayload("The JSON body holds a string with an unpaired surrogate escape");
        }
    }

    private static GraphQLRequest FromJsonStrings(JsonDocument? document)
    {
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root
            || !root.TryGetProperty("query", out var query)
            || query.ValueKind != JsonValueKind.String
            || query.GetString() is not { Length: > 0 } text)
        {
            throw DirectusErrors.MissingQuery();
        }

        JsonElement? variables = root.TryGetProperty("variables", out var v) ? v.ValueKind switch
        {
            JsonValueKind.Object => v.Clone(),
            JsonValueKind.Null => null,
            JsonValueKind.String => ParseVariablesString(v.GetString()!),
            _ => throw DirectusException.InvalidPayload("Variables must be an object"),
        } : null;
        var operationName = root.TryGetProperty("operationName", out var op) && op.ValueKind == JsonValueKind.String
            ? op.GetString()
            : null;
        return new GraphQLRequest(text, variables, string.IsNullOrEmpty(operationName) ? null : operationName);
    }

    private static JsonElement? ParseVariablesString(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        using var parsed = ClientJson.Parse(text, _ => DirectusException.InvalidQuery("Variables are invalid JSON"));
        return parsed.RootElement.ValueKind == JsonValueKind.Object ? parsed.RootElement.Clone() : null;
    }
}
