using System.Text.RegularExpressions;

namespace ArtifactGraph.Server.GraphQL.Validation;

/// <summary>
/// graphql-js's "Did you mean …?" machinery (<c>suggestionList</c>, <c>didYouMean</c>, <c>naturalCompare</c>), so that
/// our validation messages carry the same suggestions, in the same order, as Directus's.
/// </summary>
internal static partial class Suggestions
{
    private const int MaxSuggestions = 5;

    /// <summary>The error without its trailing " Did you mean …?" (Directus's <c>BlockFieldSuggestionsRule</c> pattern).</summary>
    public static GraphQLJsError Without(GraphQLJsError error) => error with { Message = DidYouMeanSuffix().Replace(error.Message, "") };

    [GeneratedRegex(" ?Did you mean .+$")]
    private static partial Regex DidYouMeanSuffix();

    /// <summary>The options close enough to <paramref name="input"/> (optimal string alignment distance), best first.</summary>
    public static IReadOnlyList<string> List(string input, IEnumerable<string> options)
    {
        var threshold = (int)Math.Floor(input.Length * 0.4) + 1;
        var distances = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            var distance = Distance(input, option, threshold);
            if (distance is not null)
            {
                distances[option] = distance.Value;
            }
        }

        return distances.Keys
            .Order(Comparer<string>.Create((a, b) =>
            {
                var diff = distances[a] - distances[b];
                return diff != 0 ? diff : NaturalCompare(a, b);
            }))
            .ToList();
    }

    /// <summary><c>didYouMean</c>: "" or " Did you mean [subMessage ]"a", "b", or "c"?".</summary>
    public static string DidYouMean(IReadOnlyList<string> suggestions, string? subMessage = null)
    {
        if (suggestions.Count == 0)
        {
            return "";
        }

        var message = " Did you mean " + (subMessage is null ? "" : subMessage + " ");
        var quoted = suggestions.Take(MaxSuggestions).Select(s => $"\"{s}\"").ToList();
        return quoted.Count switch
        {
            1 => message + quoted[0] + "?",
            2 => message + quoted[0] + " or " + quoted[1] + "?",
            _ => message + string.Join(", ", quoted.Take(quoted.Count - 1)) + ", or " + quoted[^1] + "?",
        };
    }

    private static int? Distance(string input, string option, int threshold)
    {
        if (input == option)
        {
            return 0;
        }

        var inputLower = input.ToLowerInvariant();
        var optionLower = option.ToLowerInvariant();
        if (inputLower == optionLower)
        {
            return 1;
        }

        var a = optionLower;
        var b = inputLower;
        if (a.Length < b.Length)
        {
            (a, b) = (b, a);
        }

        if (a.Length - b.Length > threshold)
        {
            return null;
        }

        var rows = new int[3][];
        for (var r = 0; r < 3; r++)
        {
            rows[r] = new int[b.Length + 1];
        }

        for (var j = 0; j <= b.Length; j++)
        {
            rows[0][j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            var up = rows[(i - 1) % 3];
            var current = rows[i % 3];
            var smallest = current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var cell = Math.Min(Math.Min(up[j] + 1, current[j - 1] + 1), up[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    cell = Math.Min(cell, rows[(i - 2) % 3][j - 2] + 1);
                }

                smallest = Math.Min(smallest, cell);
                current[j] = cell;
            }

            if (smallest > threshold)
            {
                return null;
            }
        }

        var distance = rows[a.Length % 3][b.Length];
        return distance <= threshold ? distance : null;
    }

    /// <summary>graphql-js <c>naturalCompare</c>: digit runs compare as numbers.</summary>
    internal static int NaturalCompare(string a, string b)
    {
        int ai = 0, bi = 0;
        while (ai < a.Length && bi < b.Length)
        {
            if (char.IsAsciiDigit(a[ai]) && char.IsAsciiDigit(b[bi]))
            {
                long an = 0, bn = 0;
                do
                {
                    an = an * 10 + (a[ai++] - '0');
                }
                while (ai < a.Length && char.IsAsciiDigit(a[ai]) && an > 0);

                do
                {
                    bn = bn * 10 + (b[bi++] - '0');
                }
                while (bi < b.Length && char.IsAsciiDigit(b[bi]) && bn > 0);

                if (an != bn)
                {
                    return an < bn ? -1 : 1;
                }
            }
            else
            {
                if (a[ai] != b[bi])
                {
                    return a[ai] < b[bi] ? -1 : 1;
                }

                ai++;
                bi++;
            }
        }

        return a.Length - b.Length;
    }
}
