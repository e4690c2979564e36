using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// Mutates a GraphQL document as a fuzzer does: characters deleted, duplicated, swapped or inserted; tokens deleted,
/// duplicated or swapped; names replaced by other (valid or hostile) names; values replaced by values of other types
/// and by SQL fragments. In write-safe mode, replaced values never name a row (see <see cref="WriteSafety"/>).
/// </summary>
internal sealed partial class QueryMutator(Random random)
{
    /// <param name="valuesOnly">Only replace values (wrong types, SQL fragments): the document mostly stays valid and runs.</param>
    public string Mutate(string document, bool writeSafe, bool valuesOnly = false)
    {
        var text = document;
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            text = MutateOnce(text, writeSafe, valuesOnly);
        }

        return text;
    }

    /// <summary>A GraphQL string literal holding any text.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    private string MutateOnce(string text, bool writeSafe, bool valuesOnly)
    {
        var tokens = Token().Matches(text).ToList();
        if (text.Length == 0 || tokens.Count == 0)
        {
            return text + Pick(HostileInputs.Snippets);
        }

        var position = random.Next(text.Length);
        var token = tokens[random.Next(tokens.Count)];
        switch (valuesOnly ? 8 + random.Next(2) : random.Next(11))
        {
            case 0:
                return text.Remove(position, 1);
            case 1:
                return text.Insert(position, text[position].ToString());
            case 2 when position + 1 < text.Length:
                return text[..position] + text[position + 1] + text[position] + text[(position + 2)..];
            case 3:
                return text.Insert(position, Pick(HostileInputs.Snippets));
            case 4:
                return Replace(text, token, "");
            case 5:
                return text.Insert(token.Index + token.Length, " " + token.Value);
            case 6:
                var other = tokens[random.Next(tokens.Count)];
                return other.Index == token.Index ? text : Swap(text, token, other);
            case 7:
                return ReplaceWhere(text, tokens, IsName, _ => Pick(HostileInputs.Names));
            case 8:
                return ReplaceWhere(text, tokens, IsValue, _ => Pick(writeSafe ? HostileInputs.WriteSafeValueLiterals : HostileInputs.ValueLiterals));
            case 9:
                return ReplaceWhere(text, tokens, t => t.Value.StartsWith('"'), _ => Quote(Pick(random.Next(2) == 0 ? HostileInputs.SqlFragments : HostileInputs.SortPaths)));
            default:
                return ReplaceWhere(text, tokens, IsName, _ => Pick(HostileInputs.SqlFragments));
        }
    }

    private string ReplaceWhere(string text, List<Match> tokens, Func<Match, bool> where, Func<Match, string> with)
    {
        var candidates = tokens.Where(where).ToList();
        if (candidates.Count == 0)
        {
            return text;
        }

        var token = candidates[random.Next(candidates.Count)];
        return Replace(text, token, with(token));
    }

    private static string Replace(string text, Match token, string replacement)
        => text[..token.Index] + replacement + text[(token.Index + token.Length)..];

    private static string Swap(string text, Match a, Match b)
    {
        var (first, second) = a.Index < b.Index ? (a, b) : (b, a);
        return text[..first.Index] + second.Value + text[(first.Index + first.Length)..second.Index] + first.Value + text[(second.Index + second.Length)..];
    }

    private static bool IsName(Match token) => char.IsLetter(token.Value[0]) || token.Value[0] == '_';

    private static bool IsValue(Match token) => token.Value[0] is '"' or '-' || char.IsDigit(token.Value[0]) || token.Value is "true" or "false" or "null";

    private string Pick(string[] pool) => pool[random.Next(pool.Length)];

    [GeneratedRegex("\"\"\"[\\s\\S]*?\"\"\"|\"(?:[^\"\\\\\\n]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?|[_A-Za-z][_0-9A-Za-z]*|\\.\\.\\.|\\S")]
    private static partial Regex Token();
}
