using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;
using ArtifactGraph.Bench.Reporting;
using ArtifactGraph.Bench.Seeding;
using static ArtifactGraph.Bench.Reporting.BenchReport;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>The figures of one query on some of the nodes.</summary>
public sealed record NodeQueryFigures(int Nodes, PerfQuery Query, LoadResult Load, StatementSample Statements, CpuUsage Cpu, long? PeakMemory)
    : MeasuredLoad(Load, Statements, Cpu, PeakMemory);

/// <summary>The figures of one layout of promotions on all the nodes, without or with a NOTIFY per written row, in run <c>Run</c> (1 to 4).</summary>
public sealed record NotifyFigures(
    int Run, bool NotifyAll, int Nodes, PromotionLayout Layout, IReadOnlyList<string> Problems, LoadResult Load, StatementSample Statements, CpuUsage Cpu, long? PeakMemory)
    : MeasuredLoad(Load, Statements, Cpu, PeakMemory);

/// <summary>
/// Several server processes over one PostgreSQL database, the client sending its requests to them in turn (as a
/// round-robin balancer would): the two nested queries of perf-directus.md on 1, 2, 3… nodes (<c>--nodes</c>); then
/// promotions on all of them, without and with a NOTIFY per written row (<c>INVALIDATION_NOTIFY_ALL</c>), on fresh nodes
/// each time, warmed up alike, in the order off, on, on, off so that a drift of a shared machine's load over the run
/// weighs on both alike.
/// </summary>
public sealed class NodesScenario : IBenchScenario
{
    private static readonly IReadOnlyList<PromotionLayout> NotifyLayouts = [.. PromotionLayout.All.Where(l => !l.OnePath)];

    public string Name => "nodes";

    public string Description => "several server processes over one PostgreSQL (--nodes): the two nested queries spread round-robin over "
        + "the nodes, then promotions/s without and with a NOTIFY per written row (INVALIDATION_NOTIFY_ALL)";

    public IReadOnlyList<DataSet> DefaultSizes { get; } = [DataSet.Parse(DataSet.DirectusName)];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var counts = context.Options.Nodes ?? [1, 2, 3];
        var imports = new List<ImportFigures>();
        var reads = new List<NodeQueryFigures>();
        var writes = new List<NotifyFigures>();
        foreach (var dataSet in context.Options.Sizes)
        {
            await using var database = await BenchDatabase.CreateAsync(context, dataSet, cancellationToken);
            imports.Add(database.Import);
            reads.AddRange(await ReadsAsync(context, database, counts, cancellationToken));
            writes.AddRange(await AlternatingRuns.RunAsync<NotifyFigures>(
                async (run, notifyAll) => await PromotionsAsync(context, database, counts.Max(), run, notifyAll, cancellationToken)));
        }

        var connections = context.Options.Load.Connections;
        context.Report.Section("Data sets", QueriesScenario.ImportTable(imports));
        context.Report.Section("Nested queries on several nodes", ReadTable(reads, connections));
        context.Report.Section("Promotions without and with a NOTIFY per written row", NotifyTable(writes, connections));
        context.Report.Section(
            "Where the CPU went (cores, during the measured period; server: all nodes together)",
            MeasurementTables.Cpu(reads, ["nodes", "query"], f => [Number(f.Nodes), f.Query.Key])
                + "\n\n" + MeasurementTables.Cpu(writes, ["run", "NOTIFY", "paths"], f => [Number(f.Run), f.NotifyAll ? "on" : "off", f.Layout.Key], "promotion"));
        context.Report.Section(
            $"SQL statements per promotion (by shape, {context.Statements.Source})",
            MeasurementTables.Statements(writes.Where(f => f.Run <= 2), ["NOTIFY", "paths"], f => [f.NotifyAll ? "on" : "off", f.Layout.Key], "promotion"));
    }

    // The largest number of nodes is started once and warmed up on both queries, for --server-warmup times the number of
    // nodes: each node gets its share of the load, about what one server gets in the queries scenario, so that the JIT of
    // the one node measured first has settled too. Fewer nodes are the first of them, the others idle meanwhile.
    private static async Task<List<NodeQueryFigures>> ReadsAsync(
        BenchContext context, BenchDatabase database, IReadOnlyList<int> counts, CancellationToken cancellationToken)
    {
        var connections = context.Options.Load.Connections;
        await using var nodes = await ServerNodes.StartAsync(context, database, counts.Max(), new Dictionary<string, string>(), cancellationToken);
        using (var all = nodes.Client(counts.Max(), connections))
        {
            var warmUp = context.Options.ServerWarmUp * counts.Max();
            BenchContext.Progress($"warming the nodes up on both queries for {warmUp.TotalSeconds:0} s");
            var posts = PerfQueries.All.Where(q => q.RestPath is null).Select(q => q.Request()).ToList();
            var failures = await LoadDriver.WarmUpAsync(all, posts, connections, warmUp, cancellationToken);
            if (failures > 0)
            {
                BenchContext.Progress($"{failures} requests failed during the warm-up");
                nodes.ReportLogs();
            }
        }

        var figures = new List<NodeQueryFigures>();
        foreach (var count in counts)
        {
            using var client = nodes.Client(count, connections);
            var servers = nodes.All.Take(count).ToList();
            foreach (var query in PerfQueries.All.Where(q => q.RestPath is null)) // the two nested GraphQL queries
            {
                var requests = new RepeatedRequests([query.Request()], connections);
                var measured = await LoadMeasurement.MeasureAsync(context, database, servers, client, requests, cancellationToken);
                figures.Add(new NodeQueryFigures(count, query, measured.Load, measured.Statements, measured.Cpu, measured.PeakMemory));
                if (measured.Load.Failures > 0)
                {
                    nodes.ReportLogs();
                }

                BenchContext.Progress($"{count} node(s), query {query.Key}: {Number(measured.Load.RequestsPerSecond)} req/s, {measured.Load.Failures} failures");
            }
        }

        return figures;
    }

    private static async Task<List<NotifyFigures>> PromotionsAsync(
        BenchContext context, BenchDatabase database, int count, int run, bool notifyAll, CancellationToken cancellationToken)
    {
        var connections = context.Options.Load.Connections;
        var setting = new Dictionary<string, string> { ["INVALIDATION_NOTIFY_ALL"] = notifyAll ? "true" : "false" };
        await using var nodes = await ServerNodes.StartAsync(context, database, count, setting, cancellationToken);
        using var client = nodes.Client(count, connections);
        var rate = new PromotionsScenario.RateEstimate();
        await PromotionsScenario.WarmUpAsync(context, database, nodes.All[0], client, rate, cancellationToken);
        var figures = new List<NotifyFigures>();
        foreach (var layout in NotifyLayouts)
        {
            var load = context.Options.Load;
            var paths = await PromotionsScenario.SeedAsync(context, database, layout, rate.Budget(load.WarmUp + load.Duration, connections), cancellationToken);
            var measured = await LoadMeasurement.MeasureAsync(context, database, nodes.All, client, paths, cancellationToken);
            rate.Observe(measured.Load);
            if (measured.Load.Failures > 0)
            {
                nodes.ReportLogs();
            }

            var problems = await paths.VerifyAsync(context.Postgres, database.Name, measured.Load.Succeeded, cancellationToken);
            figures.Add(new NotifyFigures(run, notifyAll, count, layout, problems, measured.Load, measured.Statements, measured.Cpu, measured.PeakMemory));
            BenchContext.Progress(
                $"run {run}, NOTIFY {(notifyAll ? "on" : "off")}, {layout.Label}: {Number(measured.Load.RequestsPerSecond)} promotions/s, "
                + $"{measured.Load.Failures} failures, {measured.Load.RanOut} workers ran out, checks: {(problems.Count == 0 ? "ok" : string.Join("; ", problems))}");
        }

        return figures;
    }

    private static string ReadTable(IReadOnlyList<NodeQueryFigures> figures, int connections)
    {
        var table = new MarkdownTable("nodes:", "query", "req/s:", "× fewest nodes:", "p50 ms:", "p99 ms:", "failures:", "server cores:", "PostgreSQL cores:", "peak RSS MB:");
        foreach (var f in figures)
        {
            var first = figures.First(g => g.Query.Key == f.Query.Key);
            table.Add(
                Number(f.Nodes), f.Query.Label, Number(f.Load.RequestsPerSecond), Number(f.Load.RequestsPerSecond / first.Load.RequestsPerSecond, 2),
                Milliseconds(f.Load.Latency.Percentile(50)), Milliseconds(f.Load.Latency.Percentile(99)), Number(f.Load.Failures),
                Cores(f.Cpu.Server), Cores(f.Cpu.Postgres), Megabytes(f.PeakMemory));
        }

        return $"{connections} connections, closed loop, each request sent to the next node in turn (no balancer in between). The "
            + "nodes, PostgreSQL and the client share this machine's cores: more nodes add no CPU, so the figures show what "
            + "several processes cost or gain on the same cores, not how a cluster of machines scales. With fewer nodes than "
            + "started the others idle. The nodes were first warmed up together on both queries for the server warm-up times the "
            + "largest number of nodes. Server cores: all nodes together; peak RSS: the largest node's VmHWM.\n\n" + table;
    }

    private static string NotifyTable(IReadOnlyList<NotifyFigures> figures, int connections)
    {
        var table = new MarkdownTable("run:", "NOTIFY per row", "nodes:", "paths", "promotions/s:", "× off:", "p50 ms:", "p99 ms:", "failures:", "SQL/promotion:", "checks");
        foreach (var f in figures.OrderBy(f => f.Layout.Key).ThenBy(f => f.Run))
        {
            table.Add(
                Number(f.Run), f.NotifyAll ? "on" : "off", Number(f.Nodes), f.Layout.Label, Number(f.Load.RequestsPerSecond),
                AlternatingRuns.RatioToOff(figures, f, g => g.NotifyAll, (g, h) => g.Layout == h.Layout, g => g.Load.RequestsPerSecond),
                Milliseconds(f.Load.Latency.Percentile(50)), Milliseconds(f.Load.Latency.Percentile(99)), Number(f.Load.Failures),
                Number(f.StatementsPerRequest, 2), f.Problems.Count == 0 ? "ok" : string.Join("; ", f.Problems));
        }

        return $"{connections} connections over all the nodes, closed loop, `promoteArtifact` on fresh drafts as in the promotions "
            + "scenario. Off: the server as it ships (promotions send no NOTIFY). On: `INVALIDATION_NOTIFY_ALL=true`, each "
            + "promotion sends, inside its transaction and under its project's row lock, one `pg_notify` statement per row it "
            + "wrote (the version, any version it superseded, the project, the approval row), and every node's listener receives "
            + "each record. Four runs, off, on, on, off, each on fresh nodes after the same promotion warm-up (the server warm-up, over all the nodes); × off: against the "
            + "mean of the two runs without NOTIFY on the same paths.\n\n" + table;
    }
}
