using System.Text.RegularExpressions;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// The server's console log cut into entries (<c>fail: Category[0]</c> and its indented lines). An unexpected exception
/// is logged at error level by ArtifactGraph's own categories, and a crash prints "Stack overflow." or "Unhandled exception.".
/// </summary>
public static partial class ServerLog
{
    public static List<string> Errors(IEnumerable<string> lines)
    {
        var entries = new List<string>();
        foreach (var line in lines)
        {
            if (Header().IsMatch(line) || line.StartsWith("Stack overflow", StringComparison.Ordinal) || line.StartsWith("Unhandled exception", StringComparison.Ordinal))
            {
                entries.Add(line);
            }
            else if (entries.Count > 0 && (line.StartsWith(' ') || line.StartsWith('\t')))
            {
                entries[^1] += "\n" + line;
            }
        }

        return entries.Where(e => e.StartsWith("fail: ArtifactGraph.", StringComparison.Ordinal) || e.StartsWith("crit:", StringComparison.Ordinal)
            || e.StartsWith("Stack overflow", StringComparison.Ordinal) || e.StartsWith("Unhandled exception", StringComparison.Ordinal)).ToList();
    }

    [GeneratedRegex("^(trce|dbug|info|warn|fail|crit): ")]
    private static partial Regex Header();
}
