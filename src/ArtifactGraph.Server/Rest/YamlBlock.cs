using System.Text;
using System.Text.RegularExpressions;

namespace ArtifactGraph.Server.Rest;

/// <summary>
/// js-yaml's block scalars (<see cref="YamlScalar"/>): a literal (<c>|</c>) or folded (<c>&gt;</c>) text under its key,
/// each line indented (an empty one not), with an indent indicator when it begins with a space and the chomping of its
/// end (<c>-</c> without a final line break, <c>+</c> with more than one); the dumper's own last line break dropped.
/// </summary>
internal static partial class YamlBlock
{
    public static string Literal(string text, int indent) => "|" + Header(text) + DropEndingNewline(IndentLines(text, indent));

    public static string Folded(string text, int indent, int width)
        => ">" + Header(text) + DropEndingNewline(IndentLines(Fold(text, width), indent));

    /// <summary>An indent indicator when the text begins with a space (after any empty lines); the chomping of its end.</summary>
    private static string Header(string text)
    {
        var indicator = text.TrimStart('\n').StartsWith(' ') ? "2" : "";
        var clip = text[^1] == '\n';
        var keep = clip && (text.Length == 1 || text[^2] == '\n');
        return indicator + (keep ? "+" : clip ? "" : "-") + "\n";
    }

    private static string DropEndingNewline(string text) => text.EndsWith('\n') ? text[..^1] : text;

    /// <summary>Each line indented, but an empty one.</summary>
    private static string IndentLines(string text, int spaces)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < text.Length)
        {
            var next = text.IndexOf('\n', position);
            var end = next < 0 ? text.Length : next + 1;
            if (end - position > 0 && !(end - position == 1 && text[position] == '\n'))
            {
                result.Append(' ', spaces);
            }

            result.Append(text, position, end - position);
            position = end;
        }

        return result.ToString();
    }

    /// <summary>
    /// js-yaml's <c>foldString</c>: lines broken at spaces to the width; a line break between two lines that are not
    /// more indented written twice, as the folded style reads one as a space.
    /// </summary>
    private static string Fold(string text, int width)
    {
        var firstBreak = text.IndexOf('\n');
        var result = new StringBuilder(FoldLine(text[..(firstBreak < 0 ? text.Length : firstBreak)], width));
        var previousMoreIndented = text[0] is '\n' or ' ';
        if (firstBreak < 0)
        {
            return result.ToString();
        }

        foreach (Match match in Lines().Matches(text, firstBreak))
        {
            var line = match.Groups[2].Value;
            var moreIndented = line.StartsWith(' ');
            result.Append(match.Groups[1].Value);
            if (!previousMoreIndented && !moreIndented && line.Length > 0)
            {
                result.Append('\n');
            }

            result.Append(FoldLine(line, width));
            previousMoreIndented = moreIndented;
        }

        return result.ToString();
    }

    /// <summary>js-yaml's greedy <c>foldLine</c>: the longest piece under the width, else the shortest over it.</summary>
    private static string FoldLine(string line, int width)
    {
        if (line.Length == 0 || line[0] == ' ')
        {
            return line;
        }

        var result = new StringBuilder();
        int start = 0, current = 0;
        foreach (Match match in Breaks().Matches(line))
        {
            var next = match.Index;
            if (next - start > width)
            {
                var end = current > start ? current : next;
                result.Append('\n').Append(line, start, end - start);
                start = end + 1;
            }

            current = next;
        }

        result.Append('\n');
        if (line.Length - start > width && current > start)
        {
            result.Append(line, start, current - start).Append('\n').Append(line, current + 1, line.Length - current - 1);
        }
        else
        {
            result.Append(line, start, line.Length - start);
        }

        return result.ToString(1, result.Length - 1);
    }

    [GeneratedRegex(@"(\n+)([^\n]*)")]
    private static partial Regex Lines();

    [GeneratedRegex(" [^ ]")]
    private static partial Regex Breaks();
}
