using ArtifactGraph.Bench.Reporting;
using static ArtifactGraph.Bench.Reporting.BenchReport;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>
/// The report tables every scenario gives for its measured loads: where the CPU went, and the SQL statements by shape.
/// Each row starts with the scenario's own label columns (data set, query…).
/// </summary>
public static class MeasurementTables
{
    /// <param name="unit">What one request is called in the column headers ("req", "promotion"…).</param>
    public static string Cpu<T>(IEnumerable<T> rows, string[] labels, Func<T, string[]> label, string unit = "req")
        where T : MeasuredLoad
    {
        var table = new MarkdownTable(
            [.. labels, "server:", "PostgreSQL:", "bench client:", "other:", "machine busy:", $"PG exec ms/{unit}:", $"server CPU ms/{unit}:"]);
        var cores = Environment.ProcessorCount;
        foreach (var f in rows)
        {
            var serverMsPerRequest = f.Cpu.Server * 1000 / f.Load.RequestsPerSecond;
            table.Add(
                [.. label(f), Cores(f.Cpu.Server), Cores(f.Cpu.Postgres), Cores(f.Cpu.Bench), Cores(f.Cpu.Other),
                $"{Cores(f.Cpu.Machine)} of {cores}", Number(f.DatabaseMillisecondsPerRequest, 2), serverMsPerRequest is { } ms ? Number(ms, 2) : "n/a"]);
        }

        return "Cores busy on average (1.00 = one core all the time). \"other\": busy CPU of the machine outside the server, "
            + "PostgreSQL and the client (other work on a shared machine).\n\n" + table;
    }

    public static string Statements<T>(IEnumerable<T> rows, string[] labels, Func<T, string[]> label, string unit = "request")
        where T : MeasuredLoad
    {
        var table = new MarkdownTable([.. labels, $"per {unit}:", "mean ms:", "statement"]);
        foreach (var f in rows)
        {
            var requests = Math.Max(1, f.Load.CompletedSinceStart);
            foreach (var shape in f.Statements.Shapes.Where(s => s.Calls * 100 >= requests))
            {
                var sql = string.Join(' ', shape.Query.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
                table.Add(
                    [.. label(f), Number(shape.Calls / (double)requests, 2), Number(shape.TotalMilliseconds / shape.Calls, 3),
                    "`" + (sql.Length > 150 ? sql[..150] + "…" : sql).Replace("|", "\\|", StringComparison.Ordinal) + "`"]);
            }
        }

        return $"Statements that ran at least once per 100 {unit}s.\n\n" + table;
    }
}
