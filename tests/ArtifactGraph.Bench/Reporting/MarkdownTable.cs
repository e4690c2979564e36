using System.Text;

namespace ArtifactGraph.Bench.Reporting;

/// <summary>A GitHub-flavoured markdown table, padded so it also reads well as plain text. Columns ending in ':' are right-aligned.</summary>
public sealed class MarkdownTable(params string[] columns)
{
    private readonly string[] _headers = columns.Select(c => c.TrimEnd(':')).ToArray();
    private readonly bool[] _right = columns.Select(c => c.EndsWith(':')).ToArray();
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"Expected {_headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public override string ToString()
    {
        var widths = _headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Append(3).Max()).ToArray();
        var text = new StringBuilder();
        Line(text, _headers, widths);
        text.Append('|');
        for (var i = 0; i < widths.Length; i++)
        {
            text.Append(' ').Append(_right[i] ? new string('-', widths[i] - 1) + ":" : new string('-', widths[i])).Append(" |");
        }

        text.AppendLine();
        _rows.ForEach(r => Line(text, r, widths));
        return text.ToString();
    }

    private void Line(StringBuilder text, string[] cells, int[] widths)
    {
        text.Append('|');
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(' ').Append(_right[i] ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i])).Append(" |");
        }

        text.AppendLine();
    }
}
