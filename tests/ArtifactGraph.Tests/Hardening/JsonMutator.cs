using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// Mutates a valid JSON document at the JSON level, below any schema: one value anywhere but the root replaced by a
/// hostile one (numbers beyond a double, unpaired surrogates, NUL, a very long string, deep nesting, <c>__proto__</c>
/// objects, a value of every other JSON type), a key repeated with another value (before or after the original), or a
/// byte-order mark in front. The root stays what it was, so that a guard key of the caller survives every mutation.
/// </summary>
internal sealed class JsonMutator(Random random)
{
    private static readonly string[] HostileValues =
    [
        "1e400", "-1e400", "1e309", "-1e309", "99999999999999999999999999999999", "-0", "1e-400", "0.1e1", "123456789012345678901234567890.5",
        "\"\\ud800\"", "\"x\\udc00\"", "\"a\\u0000b\"", "\"\\u0000\"", "\"" + new string('x', 20_000) + "\"", "\"\\\"'; DROP TABLE tasks; --\"",
        "[]", "{}", "null", "true", "false", "0", "\"\"", "\"x\"", "[null]", "[[[]]]", "{\"a\":{\"a\":{}}}",
        "{\"__proto__\":{\"polluted\":1}}", "{\"constructor\":{\"prototype\":{\"polluted\":1}}}", "{\"__proto__\":null,\"toString\":1}",
        new string('[', 3_000) + new string(']', 3_000), "{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 201),
    ];

    /// <summary>A mutant of <paramref name="json"/> (which must be an object or an array with at least one value inside).</summary>
    public byte[] Mutate(string json)
    {
        var root = JsonNode.Parse(json)!;
        var nodes = Count(root);
        var text = random.Next(8) switch
        {
            0 => "\uFEFF" + Write(root, -1, null),
            1 or 2 => Write(root, 1 + random.Next(Math.Max(1, nodes - 1)), duplicate: true),
            _ => Write(root, 1 + random.Next(Math.Max(1, nodes - 1)), duplicate: false),
        };
        return Encoding.UTF8.GetBytes(text);
    }

    private string Write(JsonNode root, int target, bool? duplicate)
    {
        var output = new StringBuilder();
        var index = 0;
        Emit(root);
        return output.ToString();

        void Emit(JsonNode? node)
        {
            var here = index++;
            if (here == target && duplicate == false)
            {
                output.Append(Hostile());
                Skip(node);
                return;
            }

            switch (node)
            {
                case JsonObject obj:
                    output.Append('{');
                    var first = true;
                    foreach (var (key, value) in obj.ToList())
                    {
                        var repeatHere = duplicate == true && index == target;
                        var before = repeatHere && random.Next(2) == 0;
                        output.Append(first ? "" : ",");
                        first = false;
                        if (before)
                        {
                            output.Append(Name(key)).Append(':').Append(Hostile()).Append(',');
                        }

                        output.Append(Name(key)).Append(':');
                        Emit(value);
                        if (repeatHere && !before)
                        {
                            output.Append(',').Append(Name(key)).Append(':').Append(Hostile());
                        }
                    }

                    output.Append('}');
                    break;
                case JsonArray array:
                    output.Append('[');
                    for (var i = 0; i < array.Count; i++)
                    {
                        output.Append(i == 0 ? "" : ",");
                        Emit(array[i]);
                    }

                    output.Append(']');
                    break;
                default:
                    output.Append(node is null ? "null" : node.ToJsonString());
                    break;
            }
        }

        void Skip(JsonNode? node) => index += Count(node) - 1;
    }

    private string Hostile() => HostileValues[random.Next(HostileValues.Length)];

    private static string Name(string key) => JsonSerializer.Serialize(key);

    private static int Count(JsonNode? node) => 1 + node switch
    {
        JsonObject obj => obj.Sum(p => Count(p.Value)),
        JsonArray array => array.Sum(Count),
        _ => 0,
    };
}
