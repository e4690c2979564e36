using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;
using ArtifactGraph.Bench.Reporting;
using ArtifactGraph.Bench.Seeding;
using static ArtifactGraph.Bench.Reporting.BenchReport;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>
/// The two nested queries of perf-directus.md over real HTTP, per data set: a fresh database, the server
/// started on it, then each query under a closed-loop load of N connections.
/// </summary>
public sealed class QueriesScenario : IBenchScenario
{
    public string Name => "queries";

    public string Description => "the two nested read queries of perf-directus.md: requests/s, p50/p99, SQL statements per request, peak memory";

    public IReadOnlyList<DataSet> DefaultSizes { get; } = [DataSet.Parse("1000"), DataSet.Parse("10000"), DataSet.Parse("100000")];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var imports = new List<ImportFigures>();
        var figures = new List<QueryFigures>();
        foreach (var dataSet in context.Options.Sizes)
        {
            await using var database = await BenchDatabase.CreateAsync(context, dataSet, cancellationToken);
            imports.Add(database.Import);
            await using var server = await ServerProcess.StartAsync(context.Server, database.ServerEnvironment(context.Options), database.WorkDirectory, cancellationToken);
            BenchContext.Progress($"{dataSet.Name}: server started (pid {server.Pid}) at {server.BaseAddress}");
            using var client = LoadDriver.CreateClient(server.BaseAddress, DataSetImporter.AdminToken, context.Options.Load.Connections);
            await WarmUpAsync(context, dataSet, client, cancellationToken);
            foreach (var query in PerfQueries.All)
            {
                BenchContext.Progress($"{dataSet.Name}: query {query.Key}, {context.Options.Load.WarmUp.TotalSeconds:0} s warm-up + {context.Options.Load.Duration.TotalSeconds:0} s");
                var result = await QueryMeasurement.MeasureAsync(context, database, server, client, query, cancellationToken);
                figures.Add(result);
                BenchContext.Progress($"{dataSet.Name}: query {query.Key}: {Number(result.Load.RequestsPerSecond)} req/s, p99 {Milliseconds(result.Load.Latency.Percentile(99))} ms");
            }
        }

        context.Report.Section("Data sets", ImportTable(imports));
        context.Report.Section("Throughput and latency", ResultTable(figures, context.Options.Load.Connections));
        string[] labels = ["data set", "query"];
        context.Report.Section("Where the CPU went (cores, during the measured period)", MeasurementTables.Cpu(figures, labels, f => [f.DataSet, f.Query.Key]));
        context.Report.Section(
            $"SQL statements per request (by shape, {context.Statements.Source})", MeasurementTables.Statements(figures, labels, f => [f.DataSet, f.Query.Key]));
    }

    // Tiered JIT needs about a minute of load on a busy 2-core machine before the hot code is optimised (measured with
    // perf maps): warm the server once on both queries, then give each query its own short warm-up.
    internal static async Task WarmUpAsync(BenchContext context, DataSet dataSet, HttpClient client, CancellationToken cancellationToken)
    {
        var duration = context.Options.ServerWarmUp;
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        BenchContext.Progress($"{dataSet.Name}: warming the server up on both queries for {duration.TotalSeconds:0} s");
        var posts = PerfQueries.All.Select(q => q.Request()).ToList();
        var failures = await LoadDriver.WarmUpAsync(client, posts, context.Options.Load.Connections, duration, cancellationToken);
        if (failures > 0)
        {
            BenchContext.Progress($"{dataSet.Name}: {failures} requests failed during the warm-up");
        }
    }

    internal static string ImportTable(IEnumerable<ImportFigures> imports)
    {
        var table = new MarkdownTable("data set", "rows:", "document MB:", "import s:", "rows/s:", "VACUUM ANALYZE s:");
        foreach (var i in imports)
        {
            table.Add(i.DataSet, Number(i.Rows), Megabytes(i.DocumentBytes), Number(i.Import.TotalSeconds, 1), Number(i.RowsPerSecond), Number(i.Vacuum.TotalSeconds, 1));
        }

        return "Generated per size (see SeedShape): N artifact versions in paths of 1 to 24 versions (5 on average), "
            + "each with at most one approved version, one file per version, 1–3 files per version (artifact_files), one task per path "
            + "linked to 1–4 of its versions, an approval per approved or superseded version, one project per 20,000 versions (at least two); plus the oracle administrator. Imported with the server's `import` command (one transaction).\n\n" + table;
    }

    private static string ResultTable(IEnumerable<QueryFigures> figures, int connections)
    {
        var table = new MarkdownTable(
            "data set", "query", "req/s:", "× Directus:", "p50 ms:", "p99 ms:", "max ms:", "SQL/req:", "+ resets/req:", "peak RSS MB:", "failures:", "answer KB:");
        foreach (var f in figures)
        {
            var latency = f.Load.Latency;
            table.Add(
                f.DataSet, f.Query.Label, Number(f.Load.RequestsPerSecond), Number(f.Load.RequestsPerSecond / f.Query.DirectusRequestsPerSecond, 1),
                Milliseconds(latency.Percentile(50)), Milliseconds(latency.Percentile(99)), Milliseconds(latency.Max),
                Number(f.StatementsPerRequest, 2), Number(f.ConnectionResetsPerRequest, 2), Megabytes(f.PeakMemory), Number(f.Load.Failures), Number(f.Load.MeanResponseBytes / 1024, 1));
        }

        return $"{connections} connections, closed loop. × Directus: against ~150 req/s (a) and ~180 req/s (b), Directus 12.4.1 on this "
            + "machine with its 12-version seed data (perf-directus.md). Peak RSS: the server's VmHWM over the query's warm-up and "
            + "measured period. SQL/req: statements the server sent per request, as PostgreSQL counted them; resets/req: "
            + "Npgsql's `DISCARD ALL` on reusing a pooled connection, sent along with the next statement. "
            + "Failures: answers that were not HTTP 200 with data and no errors.\n\n" + table;
    }
}
