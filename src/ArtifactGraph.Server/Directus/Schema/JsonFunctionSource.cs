using System.Text.Json;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary>The source of a JSON field's <c>_func</c> object: <c>count</c> and <c>json(path:)</c>.</summary>
public sealed record JsonFunctionSource(JsonElement? Value)
{
    public int? Count() => Value is { ValueKind: JsonValueKind.Array } array ? array.GetArrayLength() : null;

    public JsonElement? At(string path)
    {
        if (Value is not { } current)
        {
            return null;
        }

        foreach (var segment in Segments(path))
        {
            if (segment is int index)
            {
                if (current.ValueKind != JsonValueKind.Array || index < 0 || index >= current.GetArrayLength())
                {
                    return null;
                }

                current = current[index];
            }
            else if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty((string)segment, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static IEnumerable<object> Segments(string path)
    {
        var trimmed = path.StartsWith("$", StringComparison.Ordinal) ? path[1..] : path;
        foreach (var part in trimmed.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = part;
            var bracket = name.IndexOf('[');
            if (bracket < 0)
            {
                yield return name;
                continue;
            }

            if (bracket > 0)
            {
                yield return name[..bracket];
            }

            foreach (var index in name[bracket..].Split(['[', ']'], StringSplitOptions.RemoveEmptyEntries))
            {
                yield return int.TryParse(index, out var i) ? i : index.Trim('"', '\'');
            }
        }
    }
}
