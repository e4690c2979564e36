using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;
using ArtifactGraph.Bench.Reporting;
using ArtifactGraph.Bench.Seeding;
using static ArtifactGraph.Bench.Reporting.BenchReport;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>The figures of one query in round <c>Round</c> on server A (as configured) or B (with <c>--compare-env</c>).</summary>
public sealed record CompareFigures(int Round, bool B, string DataSet, PerfQuery Query, LoadResult Load, StatementSample Statements, CpuUsage Cpu, long? PeakMemory)
    : MeasuredLoad(Load, Statements, Cpu, PeakMemory);

/// <summary>
/// A setting's effect on the read queries, measured so that a shared machine's drift does not decide it: two servers side
/// by side on one database, A as configured and B with the <c>--compare-env</c> settings added, warmed up alike; each
/// query is measured in <see cref="Rounds"/> rounds, A then B, then B then A, and so on, each a short slice of the
/// configured warm-up and duration. Slices seconds apart see the same load, so B ÷ A is the setting, not the drift.
/// </summary>
public sealed class CompareScenario : IBenchScenario
{
    /// <summary>Rounds per query: an even number, so that each server goes first as often as second.</summary>
    public const int Rounds = 4;

    public string Name => "compare";

    public string Description => "the nested queries (on directus) or the frontend's query set on two servers side by side, A as configured and B "
        + $"with --compare-env added, each query measured in {Rounds} interleaved rounds: req/s and p99 of B against A";

    public IReadOnlyList<DataSet> DefaultSizes { get; } = [DataSet.Parse(DataSet.DirectusName)];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        if (context.Options.CompareEnvironment.Count == 0)
        {
            throw new InvalidOperationException("The compare scenario needs at least one --compare-env NAME=VALUE: the setting server B adds.");
        }

        var imports = new List<ImportFigures>();
        var figures = new List<CompareFigures>();
        foreach (var dataSet in context.Options.Sizes)
        {
            await using var database = await BenchDatabase.CreateAsync(context, dataSet, cancellationToken);
            imports.Add(database.Import);
            figures.AddRange(await MeasureAsync(context, database, cancellationToken));
        }

        var setting = string.Join(", ", context.Options.CompareEnvironment.Select(e => $"`{e.Key}={e.Value}`"));
        context.Report.Section("Data sets", QueriesScenario.ImportTable(imports));
        context.Report.Section($"B ({setting}) against A", SummaryTable(figures, context.Options.Load.Connections));
        string[] labels = ["data set", "round", "A or B", "query"];
        context.Report.Section(
            "Where the CPU went (cores, during the measured period)",
            MeasurementTables.Cpu(figures, labels, f => [f.DataSet, Number(f.Round), f.B ? "B" : "A", f.Query.Key]));
    }

    private static async Task<List<CompareFigures>> MeasureAsync(BenchContext context, BenchDatabase database, CancellationToken cancellationToken)
    {
        var dataSet = database.Import.DataSet;
        var connections = context.Options.Load.Connections;
        var a = database.ServerEnvironment(context.Options);
        var b = a.Concat(context.Options.CompareEnvironment).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        await using var serverA = await ServerProcess.StartAsync(context.Server, a, database.WorkDirectory, cancellationToken);
        await using var serverB = await ServerProcess.StartAsync(context.Server, b, database.WorkDirectory, cancellationToken);
        using var clientA = LoadDriver.CreateClient(serverA.BaseAddress, DataSetImporter.AdminToken, connections);
        using var clientB = LoadDriver.CreateClient(serverB.BaseAddress, DataSetImporter.AdminToken, connections);
        (bool B, ServerProcess Server, HttpClient Client)[] servers = [(false, serverA, clientA), (true, serverB, clientB)];
        var queries = FrontendScenario.QueriesOf(database);
        foreach (var (isB, _, client) in servers)
        {
            BenchContext.Progress($"{dataSet}: warming server {(isB ? "B" : "A")} up on all queries for {context.Options.ServerWarmUp.TotalSeconds:0} s");
            await LoadDriver.WarmUpAsync(client, [.. queries.Select(q => q.Request())], connections, context.Options.ServerWarmUp, cancellationToken);
        }

        var figures = new List<CompareFigures>();
        foreach (var query in queries)
        {
            for (var round = 1; round <= Rounds; round++)
            {
                foreach (var (isB, server, client) in round % 2 == 1 ? servers : servers.Reverse())
                {
                    var measured = await QueryMeasurement.MeasureAsync(context, database, server, client, query, cancellationToken);
                    figures.Add(new CompareFigures(round, isB, dataSet, query, measured.Load, measured.Statements, measured.Cpu, measured.PeakMemory));
                    BenchContext.Progress(
                        $"{dataSet}, {query.Key}, round {round}, {(isB ? "B" : "A")}: {Number(measured.Load.RequestsPerSecond)} req/s, "
                        + $"p99 {Milliseconds(measured.Load.Latency.Percentile(99))} ms, {measured.Load.Failures} failures");
                }
            }
        }

        return figures;
    }

    private static string SummaryTable(IReadOnlyList<CompareFigures> figures, int connections)
    {
        var table = new MarkdownTable(
            "data set", "query", "req/s A:", "req/s B:", "B ÷ A:", "B ÷ A, round by round", "p50 ms A:", "p50 ms B:", "p99 ms A:", "p99 ms B:", "failures:");
        foreach (var group in figures.GroupBy(f => (f.DataSet, f.Query.Key)))
        {
            var a = group.Where(f => !f.B).ToList();
            var b = group.Where(f => f.B).ToList();
            var (latencyA, latencyB) = (Pooled(a), Pooled(b));
            var (rateA, rateB) = (AlternatingRuns.Rate(a), AlternatingRuns.Rate(b));
            table.Add(
                group.Key.DataSet, group.Key.Key, Number(rateA), Number(rateB), Number(rateB / rateA, 2), AlternatingRuns.RoundRatios(a, b, f => f.Round),
                Milliseconds(latencyA.Percentile(50)), Milliseconds(latencyB.Percentile(50)), Milliseconds(latencyA.Percentile(99)), Milliseconds(latencyB.Percentile(99)),
                Number(group.Sum(f => f.Load.Failures)));
        }

        return $"{connections} connections, closed loop, the administrator's token. Req/s: a server's requests over its measured time, all "
            + $"{Rounds} rounds together; p50 and p99 over all its measured requests.\n\n" + table;

        static LatencyHistogram Pooled(IReadOnlyList<CompareFigures> rows)
        {
            var all = new LatencyHistogram();
            foreach (var f in rows)
            {
                all.Add(f.Load.Latency);
            }

            return all;
        }
    }
}
