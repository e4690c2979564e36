using static ArtifactGraph.Bench.Reporting.BenchReport;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>
/// A setting measured in four runs, off, on, on, off, each on fresh servers, so that a drift of a shared machine's load
/// over the whole run weighs on both alike; each row is then compared with the mean of the runs without the setting.
/// </summary>
public static class AlternatingRuns
{
    private static readonly bool[] Order = [false, true, true, false];

    /// <summary>Runs <paramref name="run"/> (run number 1 to 4, setting on) four times in that order, and gathers its rows.</summary>
    public static async Task<List<T>> RunAsync<T>(Func<int, bool, Task<IEnumerable<T>>> run)
    {
        var rows = new List<T>();
        for (var i = 0; i < Order.Length; i++)
        {
            rows.AddRange(await run(i + 1, Order[i]));
        }

        return rows;
    }

    /// <summary>Requests per second of <paramref name="rows"/> together: all their measured requests over all their measured time.</summary>
    public static double Rate<T>(IEnumerable<T> rows)
        where T : MeasuredLoad
        => rows.Sum(f => f.Load.Latency.Count) / rows.Sum(f => f.Load.Measured.TotalSeconds);

    /// <summary>Each round's requests per second of <paramref name="b"/> over those of <paramref name="a"/> in the same round ("n/a" without one), comma-separated.</summary>
    public static string RoundRatios<T>(IReadOnlyList<T> a, IReadOnlyList<T> b, Func<T, int> round)
        where T : MeasuredLoad
        => string.Join(", ", b.Select(f => a.FirstOrDefault(o => round(o) == round(f)) is { } o ? Number(f.Load.RequestsPerSecond / o.Load.RequestsPerSecond, 2) : "n/a"));

    /// <summary>
    /// <paramref name="row"/>'s figure over the mean figure of the rows of <paramref name="all"/> without the setting that
    /// measure the same thing; "n/a" when there are none.
    /// </summary>
    public static string RatioToOff<T>(IEnumerable<T> all, T row, Func<T, bool> on, Func<T, T, bool> same, Func<T, double> figure)
    {
        var off = all.Where(g => !on(g) && same(g, row)).Select(figure).DefaultIfEmpty().Average();
        return off > 0 ? Number(figure(row) / off, 2) : "n/a";
    }
}
