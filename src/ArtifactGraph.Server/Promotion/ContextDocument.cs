using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ArtifactGraph.Server.Promotion;

/// <summary>A project's <c>context</c>: the JSON document the approved versions are written into, one path each.</summary>
public static class ContextDocument
{
    private static readonly char[] Separators = ['/', '.'];
    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The nested object keys a schema_key names: its segments split on <c>/</c> and <c>.</c> (empty ones dropped).</summary>
    public static string[] PathOf(string? schemaKey)
        => schemaKey?.Split(Separators, StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>
    /// Writes <paramref name="content"/> at <paramref name="path"/> and returns the new context text. Missing objects on
    /// the way are created and a value on the way that is not an object is replaced by one; every other key is kept.
    /// </summary>
    public static string Write(string? context, IReadOnlyList<string> path, string? content)
    {
        ArgumentOutOfRangeException.ThrowIfZero(path.Count);
        var root = Parse(context) as JsonObject ?? [];
        var parent = root;
        foreach (var key in path.Take(path.Count - 1))
        {
            if (parent[key] is not JsonObject child)
            {
                child = [];
                parent[key] = child;
            }

            parent = child;
        }

        parent[path[^1]] = Parse(content);
        return root.ToJsonString(CompactJson);
    }

    /// <summary>A json column's text as a node; text that is not JSON (written by another tool) is kept as a JSON string.</summary>
    private static JsonNode? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
