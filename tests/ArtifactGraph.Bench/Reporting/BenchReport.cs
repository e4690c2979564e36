using System.Globalization;
using System.Text;

namespace ArtifactGraph.Bench.Reporting;

/// <summary>A markdown report built section by section: printed as it grows, written to a file at the end.</summary>
public sealed class BenchReport(string title)
{
    private readonly StringBuilder _text = new StringBuilder().Append("# ").AppendLine(title).AppendLine();

    public void Section(string heading, string body)
    {
        var section = $"## {heading}\n\n{body.TrimEnd()}\n\n";
        _text.Append(section);
        Console.Write(section);
    }

    public async Task<string> WriteAsync(string directory, string scenario, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{scenario}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.md");
        await File.WriteAllTextAsync(path, _text.ToString(), cancellationToken);
        return path;
    }

    public static string Number(double value, int decimals = 0) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);

    public static string Milliseconds(long microseconds) => (microseconds / 1000.0).ToString("0.0", CultureInfo.InvariantCulture);

    public static string Megabytes(long? bytes) => bytes is { } b ? (b / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture) : "n/a";

    public static string Cores(double? cores) => cores is { } c ? c.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
}
