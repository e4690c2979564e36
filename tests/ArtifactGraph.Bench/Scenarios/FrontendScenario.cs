using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;
using ArtifactGraph.Bench.Reporting;
using ArtifactGraph.Bench.Seeding;
using static ArtifactGraph.Bench.Reporting.BenchReport;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>The figures of one frontend query on one data set, with or without the indexes chosen for scale, at a number of connections.</summary>
public sealed record FrontendFigures(
    string DataSet, bool Indexed, int Connections, PerfQuery Query, string Plan, LoadResult Load, StatementSample Statements, CpuUsage Cpu, long? PeakMemory)
    : MeasuredLoad(Load, Statements, Cpu, PeakMemory);

/// <summary>
/// The frontend's query set (<see cref="FrontendQueries"/>) per data set, each under a closed-loop load of N connections:
/// first on the database as the migrations leave it, then again after dropping the indexes the migrations add for scale
/// (<see cref="ScaleIndexes"/>), so that each index's effect is measured in the same run on the same data. With the
/// indexes each query is also measured with one connection: its own latency, without queueing behind the others.
/// </summary>
public sealed class FrontendScenario : IBenchScenario
{
    /// <summary>The indexes the migrations add for scale (PostgreSQL's 0007 and 0009), each chosen by this scenario's figures.</summary>
    public static readonly IReadOnlyList<string> ScaleIndexes =
    [
        "idx_artifact_versions_created", "idx_artifact_versions_project_created", "idx_artifact_versions_project_status", "idx_artifact_versions_path",
        "idx_artifact_versions_schema_key_trgm", "idx_artifact_versions_status_trgm",
    ];

    /// <summary>Below this p99 at every size, a query needs no index.</summary>
    private const double TargetMilliseconds = 20;

    public string Name => "frontend";

    public string Description => "the frontend's query set (on directus: the nested queries only) (newest versions, approved per path, a path's history, a task's artifacts, "
        + "search, counts, REST forms) with and without the indexes added for scale: req/s, p50/p99, SQL/req, the plan's shape";

    public IReadOnlyList<DataSet> DefaultSizes { get; } = [DataSet.Parse("10000"), DataSet.Parse("100000"), DataSet.Parse("1000000")];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var imports = new List<ImportFigures>();
        var figures = new List<FrontendFigures>();
        foreach (var dataSet in context.Options.Sizes)
        {
            await using var database = await BenchDatabase.CreateAsync(context, dataSet, cancellationToken);
            imports.Add(database.Import);
            figures.AddRange(await MeasureAsync(context, database, indexed: true, cancellationToken));
            if (context.Options.Load.Connections > 1)
            {
                var single = new BenchContext(
                    context.Options with { Load = context.Options.Load with { Connections = 1 } }, context.Postgres, context.Statements, context.PostmasterPid, context.Report);
                figures.AddRange(await MeasureAsync(single, database, indexed: true, cancellationToken));
            }

            if (ScaleIndexes.Count > 0 && !context.Options.IndexedOnly)
            {
                await using (var connection = await context.Postgres.OpenAsync(database.Name, cancellationToken))
                {
                    foreach (var index in ScaleIndexes)
                    {
                        await using var drop = new Npgsql.NpgsqlCommand($"DROP INDEX IF EXISTS {index}", connection);
                        await drop.ExecuteNonQueryAsync(cancellationToken);
                    }
                }

                await context.Postgres.VacuumAnalyzeAsync(database.Name, cancellationToken);
                figures.AddRange(await MeasureAsync(context, database, indexed: false, cancellationToken));
            }
        }

        var connections = context.Options.Load.Connections;
        context.Report.Section("Data sets", QueriesScenario.ImportTable(imports));
        context.Report.Section("The frontend's queries", ResultTable(figures, connections));
        context.Report.Section("The plan of each query's costliest statement", PlanTable(figures));
        string[] labels = ["data set", "indexes", "query"];
        context.Report.Section(
            "Where the CPU went (cores, during the measured period)",
            MeasurementTables.Cpu(figures, labels, f => [f.DataSet, Indexes(f), f.Query.Key]));
        context.Report.Section(
            $"SQL statements per request (by shape, {context.Statements.Source})",
            MeasurementTables.Statements(figures, labels, f => [f.DataSet, Indexes(f), f.Query.Key]));
    }

    // A fresh server per pass, warmed up on all the queries, then each query measured in turn.
    private static async Task<List<FrontendFigures>> MeasureAsync(BenchContext context, BenchDatabase database, bool indexed, CancellationToken cancellationToken)
    {
        var dataSet = database.Import.DataSet;
        var connections = context.Options.Load.Connections;
        var pass = (indexed ? "with the scale indexes" : "without the scale indexes") + $", {connections} connection{(connections == 1 ? "" : "s")}";
        await using var server = await ServerProcess.StartAsync(context.Server, database.ServerEnvironment(context.Options), database.WorkDirectory, cancellationToken);
        using var client = LoadDriver.CreateClient(server.BaseAddress, DataSetImporter.AdminToken, context.Options.Load.Connections);
        if (context.Options.ServerWarmUp > TimeSpan.Zero)
        {
            BenchContext.Progress($"{dataSet}, {pass}: warming the server up on all queries for {context.Options.ServerWarmUp.TotalSeconds:0} s");
            var posts = QueriesOf(database).Select(q => q.Request()).ToList();
            await LoadDriver.WarmUpAsync(client, posts, context.Options.Load.Connections, context.Options.ServerWarmUp, cancellationToken);
        }

        var figures = new List<FrontendFigures>();
        foreach (var query in QueriesOf(database))
        {
            var measured = await QueryMeasurement.MeasureAsync(context, database, server, client, query, cancellationToken);
            var costliest = measured.Statements.Shapes
                .Where(s => !s.IsConnectionReset && !s.Query.StartsWith("BEGIN", StringComparison.Ordinal) && s.Query != "COMMIT")
                .MaxBy(s => s.TotalMilliseconds);
            var plan = costliest is null ? "" : await PlanShape.DescribeAsync(context.Postgres, database.Name, costliest.Query, cancellationToken);
            figures.Add(new FrontendFigures(dataSet, indexed, connections, query, plan, measured.Load, measured.Statements, measured.Cpu, measured.PeakMemory));
            BenchContext.Progress(
                $"{dataSet}, {pass}, {query.Key}: {Number(measured.Load.RequestsPerSecond)} req/s, p99 {Milliseconds(measured.Load.Latency.Percentile(99))} ms, "
                + $"{measured.Load.Failures} failures; {plan}");
        }

        return figures;
    }

    // Directus's seed has none of the generated rows the other queries name: on it, the nested queries alone (the guard
    // that the indexes cost them nothing).
    internal static IReadOnlyList<PerfQuery> QueriesOf(BenchDatabase database)
        => database.Import.DataSet == DataSet.DirectusName ? PerfQueries.All : FrontendQueries.All;

    private static string Indexes(FrontendFigures f) => (f.Indexed ? "with" : "without") + (f.Connections == 1 ? ", 1 connection" : "");

    private static string ResultTable(IReadOnlyList<FrontendFigures> figures, int connections)
    {
        var table = new MarkdownTable("query", "data set", "indexes", "req/s:", "× Directus:", "p50 ms:", "p99 ms:", "max ms:", "SQL/req:", "answer KB:", "failures:", $"p99 < {TargetMilliseconds} ms");
        foreach (var f in figures.OrderBy(f => FrontendQueries.All.ToList().IndexOf(f.Query)).ThenBy(f => f.DataSet.Length).ThenBy(f => f.DataSet, StringComparer.Ordinal).ThenBy(f => !f.Indexed).ThenBy(f => f.Connections))
        {
            var p99 = f.Load.Latency.Percentile(99);
            table.Add(
                f.Query.Label, f.DataSet, Indexes(f), Number(f.Load.RequestsPerSecond),
                f.Query.DirectusRequestsPerSecond > 0 && f.Connections > 1 ? Number(f.Load.RequestsPerSecond / f.Query.DirectusRequestsPerSecond, 1) : "",
                Milliseconds(f.Load.Latency.Percentile(50)), Milliseconds(p99),
                Milliseconds(f.Load.Latency.Max), Number(f.StatementsPerRequest, 2), Number(f.Load.MeanResponseBytes / 1024, 1), Number(f.Load.Failures),
                p99 / 1000.0 < TargetMilliseconds ? "yes" : "no");
        }

        return $"{connections} connections (and 1, `with, 1 connection`: the query's own latency without queueing), closed loop, each query on its own after a warm-up of the server on all of them. With: the database "
            + "as the migrations leave it; without: the same database after `DROP INDEX` of the indexes added for scale ("
            + (ScaleIndexes.Count == 0 ? "none yet" : string.Join(", ", ScaleIndexes.Select(i => $"`{i}`"))) + ") and `VACUUM ANALYZE`, on a fresh "
            + "server. The queries name the first project (of one per 20,000 versions, at least two), its first path and the first task; "
            + "on Directus's seed (`--sizes directus`) only the nested queries run. × Directus: against Directus 12.4.1's figure for "
            + "the same query on this machine (perf-directus.md), where there is one.\n\n" + table;
    }

    private static string PlanTable(IReadOnlyList<FrontendFigures> figures)
    {
        var table = new MarkdownTable("query", "data set", "indexes", "plan (generic, outermost first)");
        foreach (var f in figures.Where(f => f.Plan.Length > 0 && f.Connections > 1).OrderBy(f => FrontendQueries.All.ToList().IndexOf(f.Query)).ThenBy(f => f.DataSet.Length).ThenBy(f => !f.Indexed))
        {
            table.Add(f.Query.Key, f.DataSet, Indexes(f), f.Plan);
        }

        return "For each query, the statement that took the most of PostgreSQL's time during the measured period, its generic plan "
            + "(prepared as pg_stat_statements keeps it, `plan_cache_mode = force_generic_plan`): a hint of the plan's shape; the "
            + "plan made for the values sent can differ.\n\n" + table;
    }
}
