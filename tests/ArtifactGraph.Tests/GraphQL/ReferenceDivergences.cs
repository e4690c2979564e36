using System.Text.Json.Nodes;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// Directus's recorded answers that ArtifactGraph departs from on purpose (README, "Differences from Directus"): the case
/// file, the dotted path in it, and what ArtifactGraph answers there instead. The replay runs on a copy of the cases with
/// these values put in, so every other part of those cases is still compared.
/// </summary>
internal static class ReferenceDivergences
{
    /// <summary>graphql-js's request errors are GRAPHQL_VALIDATION here: no request a client can send is an internal error (issue 16).</summary>
    public static readonly IReadOnlyList<(string Case, string Path, string Value)> All =
    [
        ("095-err-variable-wrong-shape.json", "response.errors.0.extensions.code", "GRAPHQL_VALIDATION"),
        ("115-err-operation-name-missing.json", "response.errors.0.extensions.code", "GRAPHQL_VALIDATION"),
    ];

    /// <summary>Copies the cases of <paramref name="cases"/> that <paramref name="include"/> accepts into <paramref name="directory"/>, divergences applied.</summary>
    public static void CopyTo(string cases, string directory, Func<string, bool> include)
    {
        foreach (var file in Directory.GetFiles(cases, "*.json").Where(f => include(Path.GetFileName(f))))
        {
            var name = Path.GetFileName(file);
            var target = Path.Combine(directory, name);
            var changes = All.Where(d => d.Case == name).ToList();
            if (changes.Count == 0)
            {
                File.Copy(file, target);
                continue;
            }

            var json = JsonNode.Parse(File.ReadAllText(file))!;
            foreach (var (_, path, value) in changes)
            {
                Set(json, path.Split('.'), value);
            }

            File.WriteAllText(target, json.ToJsonString());
        }
    }

    private static void Set(JsonNode node, string[] path, string value)
    {
        for (var i = 0; i < path.Length - 1; i++)
        {
            node = (int.TryParse(path[i], out var index) ? node[index] : node[path[i]])
                ?? throw new InvalidOperationException($"The reference case has no {string.Join('.', path[..(i + 1)])}");
        }

        node[path[^1]] = value;
    }
}
