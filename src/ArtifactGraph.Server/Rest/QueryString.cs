using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace ArtifactGraph.Server.Rest;

/// <summary>
/// A query string read as Directus reads it (Express with the <c>qs</c> parser): <c>filter[project_id][name][_eq]=x</c>
/// is the nested object <c>{ filter: { project_id: { name: { _eq: "x" } } } }</c>, <c>fields[]=a&amp;fields[]=b</c> and a
/// repeated key are lists, and anything else is a string. Like <c>qs</c>, nesting stops at a depth (the rest of the key is
/// one segment) and a key whose brackets do not pair up is taken as it is; values stay strings.
/// </summary>
internal static partial class QueryString
{
    /// <summary>How many bracket levels are split (qs's default is 5; Directus filters go deeper).</summary>
    public const int MaxDepth = 20;

    /// <summary>How many parameters are read (qs's default <c>parameterLimit</c>); the rest are ignored, as qs does.</summary>
    public const int MaxParameters = 1000;

    public static Dictionary<string, object?> Parse(IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        var root = new Dictionary<string, object?>(StringComparer.Ordinal);
        var count = 0;
        foreach (var (key, values) in query)
        {
            foreach (var value in values)
            {
                if (++count > MaxParameters)
                {
                    return root;
                }

                Add(root, Segments(key), value ?? "");
            }
        }

        return root;
    }

    /// <summary>The key's name and its bracket segments (<c>""</c> for <c>[]</c>).</summary>
    private static List<string> Segments(string key)
    {
        var match = Brackets().Match(key);
        if (!match.Success || match.Groups[1].Value.Length == 0)
        {
            return [key];
        }

        var segments = new List<string> { match.Groups[1].Value };
        var captures = match.Groups[2].Captures;
        for (var i = 0; i < captures.Count; i++)
        {
            if (segments.Count > MaxDepth)
            {
                // As qs: what is left past the depth is one segment, brackets and all.
                segments.Add(string.Concat(captures.Skip(i).Select(c => c.Value)));
                break;
            }

            segments.Add(captures[i].Value[1..^1]);
        }

        return segments;
    }

    private static void Add(Dictionary<string, object?> node, List<string> segments, string value)
    {
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var last = i == segments.Count - 1;
            var next = last ? null : segments[i + 1];
            if (last)
            {
                node[segment] = node.TryGetValue(segment, out var existing) ? Append(existing, value) : value;
                return;
            }

            if (next == "" && i + 1 == segments.Count - 1)
            {
                // name[]=value: a list.
                node[segment] = node.TryGetValue(segment, out var list) ? Append(list, value) : new List<object?> { value };
                return;
            }

            if (!node.TryGetValue(segment, out var child) || child is not Dictionary<string, object?> dictionary)
            {
                if (child is not null and not Dictionary<string, object?>)
                {
                    return; // a string or list already stands here: qs keeps the first shape
                }

                node[segment] = dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
            }

            node = dictionary;
        }
    }

    private static List<object?> Append(object? existing, string value) => existing switch
    {
        List<object?> list => [.. list, value],
        Dictionary<string, object?> => [value],
        _ => [existing, value],
    };

    [GeneratedRegex(@"^([^\[\]]+)(\[[^\[\]]*\])*$")]
    private static partial Regex Brackets();
}
