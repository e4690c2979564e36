using System.Diagnostics;
using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;
using ArtifactGraph.Bench.Reporting;
using ArtifactGraph.Bench.Seeding;
using static ArtifactGraph.Bench.Reporting.BenchReport;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>The figures of one layout of promotions on one data set, with what the checks of the database found wrong.</summary>
public sealed record PromotionFigures(
    string DataSet, PromotionLayout Layout, int Seeded, IReadOnlyList<string> Problems, LoadResult Load, StatementSample Statements, CpuUsage Cpu, long? PeakMemory)
    : MeasuredLoad(Load, Statements, Cpu, PeakMemory);

/// <summary>
/// <c>promoteArtifact</c> over real HTTP, per data set: the server started on it, then for each layout (distinct paths in
/// one project, distinct paths in distinct projects, one contended path) fresh draft versions are seeded, promoted under a
/// closed-loop load of N connections, and the database is checked against the promotions that succeeded.
/// </summary>
public sealed class PromotionsScenario : IBenchScenario
{
    // Versions seeded per run: the fastest rate seen so far × the run's length × this margin (the JIT and a quieter
    // machine can make a run faster than the last one). A worker that still runs out stops and is reported.
    private const double Margin = 3;
    private const int MinimumPerWorker = 20;
    private static readonly TimeSpan ProbeRound = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WarmUpRound = TimeSpan.FromSeconds(5);

    public string Name => "promotions";

    public string Description => "promoteArtifact on distinct paths (one project; distinct projects) and on one contended path: "
        + "promotions/s, p50/p99, SQL statements per promotion, peak memory, the database checked after each";

    public IReadOnlyList<DataSet> DefaultSizes { get; } = [DataSet.Parse("10000")];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var imports = new List<ImportFigures>();
        var figures = new List<PromotionFigures>();
        var connections = context.Options.Load.Connections;
        foreach (var dataSet in context.Options.Sizes)
        {
            await using var database = await BenchDatabase.CreateAsync(context, dataSet, cancellationToken);
            imports.Add(database.Import);
            await using var server = await ServerProcess.StartAsync(context.Server, database.ServerEnvironment(context.Options), database.WorkDirectory, cancellationToken);
            BenchContext.Progress($"{dataSet.Name}: server started (pid {server.Pid}) at {server.BaseAddress}");
            using var client = LoadDriver.CreateClient(server.BaseAddress, DataSetImporter.AdminToken, connections);
            var rate = new RateEstimate();
            await WarmUpAsync(context, database, server, client, rate, cancellationToken);
            foreach (var layout in PromotionLayout.All)
            {
                var load = context.Options.Load;
                var paths = await SeedAsync(context, database, layout, rate.Budget(load.WarmUp + load.Duration, connections), cancellationToken);
                BenchContext.Progress(
                    $"{dataSet.Name}: {layout.Label}, {paths.Seeded:N0} versions, {load.WarmUp.TotalSeconds:0} s warm-up + {load.Duration.TotalSeconds:0} s");
                var measured = await LoadMeasurement.MeasureAsync(context, database, server, client, paths, cancellationToken);
                rate.Observe(measured.Load);
                var problems = await paths.VerifyAsync(context.Postgres, database.Name, measured.Load.Succeeded, cancellationToken);
                var result = new PromotionFigures(
                    dataSet.Name, layout, paths.Seeded, problems, measured.Load, measured.Statements, measured.Cpu, measured.PeakMemory);
                figures.Add(result);
                BenchContext.Progress(
                    $"{dataSet.Name}: {layout.Label}: {Number(result.Load.RequestsPerSecond)} promotions/s, p99 {Milliseconds(result.Load.Latency.Percentile(99))} ms, "
                    + $"{result.Load.Failures} failures, {result.Load.RanOut} workers ran out, checks: {(problems.Count == 0 ? "ok" : string.Join("; ", problems))}");
            }
        }

        context.Report.Section("Data sets", QueriesScenario.ImportTable(imports));
        context.Report.Section("Promotions: throughput and latency", ResultTable(figures, connections, await DurabilityAsync(context, cancellationToken)));
        context.Report.Section("Checks of the database after each row", CheckTable(figures));
        string[] labels = ["data set", "paths"];
        context.Report.Section(
            "Where the CPU went (cores, during the measured period)",
            "PG exec ms/promotion includes the time a promotion waited for its project's row lock (`SELECT … FOR UPDATE`), which "
                + "is not CPU. " + MeasurementTables.Cpu(figures, labels, f => [f.DataSet, f.Layout.Key], "promotion"));
        context.Report.Section(
            $"SQL statements per promotion (by shape, {context.Statements.Source})",
            MeasurementTables.Statements(figures, labels, f => [f.DataSet, f.Layout.Key], "promotion"));
    }

    // A short probe sizes the first rounds; then rounds go round the layouts until the server warm-up has passed, so that
    // the JIT settles on every path the rows take (lock waits included). Nothing is measured; a round that promotes
    // nothing at all stops the benchmark with the first failure and the server's log.
    internal static async Task WarmUpAsync(
        BenchContext context, BenchDatabase database, ServerProcess server, HttpClient client, RateEstimate rate, CancellationToken cancellationToken)
    {
        var connections = context.Options.Load.Connections;
        var total = context.Options.ServerWarmUp > ProbeRound ? context.Options.ServerWarmUp : ProbeRound;
        BenchContext.Progress($"{database.Import.DataSet}: warming the server up on promotions of every layout for {total.TotalSeconds:0} s");
        var elapsed = Stopwatch.StartNew();
        long failures = 0;
        for (var round = 0; elapsed.Elapsed < total; round++)
        {
            var length = round == 0 ? ProbeRound : WarmUpRound;
            var layout = PromotionLayout.All[round % PromotionLayout.All.Count];
            var paths = await SeedAsync(context, database, layout, rate.Budget(length, connections), cancellationToken);
            var load = await LoadDriver.RunAsync(client, paths, new LoadOptions(connections, TimeSpan.Zero, length), MeasureHooks.None, cancellationToken);
            if (load.Succeeded == 0)
            {
                throw new InvalidOperationException($"No promotion succeeded ({load.FirstFailure ?? "no answer"}).\nServer log:\n{server.Output()}");
            }

            rate.Observe(load);
            failures += load.Failures;
        }

        if (failures > 0)
        {
            BenchContext.Progress($"{database.Import.DataSet}: {failures} promotions failed during the warm-up");
        }
    }

    internal static Task<PromotionPaths> SeedAsync(
        BenchContext context, BenchDatabase database, PromotionLayout layout, int versions, CancellationToken cancellationToken)
        => PromotionPaths.SeedAsync(context.Postgres, database.Name, layout, context.Options.Load.Connections, versions, cancellationToken);

    private static async Task<string> DurabilityAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var settings = new List<string>();
        foreach (var name in (string[])["fsync", "synchronous_commit"])
        {
            settings.Add($"`{name} = {await context.Postgres.ScalarAsync($"SHOW {name}", cancellationToken)}`");
        }

        return string.Join(", ", settings);
    }

    private static string ResultTable(IEnumerable<PromotionFigures> figures, int connections, string durability)
    {
        var table = new MarkdownTable(
            "data set", "paths", "promotions/s:", "p50 ms:", "p99 ms:", "max ms:", "failures:", "SQL/promotion:", "+ resets:", "peak RSS MB:",
            "promoted:", "seeded:", "ran out:", "checks");
        foreach (var f in figures)
        {
            var latency = f.Load.Latency;
            table.Add(
                f.DataSet, f.Layout.Label, Number(f.Load.RequestsPerSecond), Milliseconds(latency.Percentile(50)), Milliseconds(latency.Percentile(99)),
                Milliseconds(latency.Max), Number(f.Load.Failures), Number(f.StatementsPerRequest, 2), Number(f.ConnectionResetsPerRequest, 2),
                Megabytes(f.PeakMemory), Number(f.Load.Succeeded), Number(f.Seeded), Number(f.Load.RanOut), f.Problems.Count == 0 ? "ok" : $"{f.Problems.Count} wrong");
        }

        return $"{connections} connections, closed loop, each request `mutation {{ promoteArtifact(id: \"…\") {{ replayed project {{ context_version }} }} }}` "
            + "on a draft version never promoted before (seeded up front in new projects, one version per request: none is a replay). "
            + $"Paths: {connections} workers on {connections} paths (project, schema_key) of one project, which serialise on its row lock; "
            + $"on {connections} paths of {connections} projects, nothing shared; or all on one path. "
            + "Failures: answers that were not HTTP 200 with data and no errors, or a replay (`replayed: true`), over the row's warm-up "
            + "and measured period. SQL/promotion: statements the server sent per promotion, as PostgreSQL counted them (BEGIN and "
            + "COMMIT included); resets: Npgsql's `DISCARD ALL` on reusing a pooled connection. Peak RSS: the server's VmHWM over the "
            + "row. Promoted: successful promotions over the whole row (warm-up and drain included), the figure the checks expect; "
            + "seeded: draft versions the row had; ran out: workers that had none left before the end (the rate is then too low). "
            + $"PostgreSQL runs with {durability}: a commit does not wait for the disk.\n\n" + table;
    }

    private static string CheckTable(IEnumerable<PromotionFigures> figures)
    {
        var table = new MarkdownTable("data set", "paths", "promoted:", "result");
        foreach (var f in figures)
        {
            table.Add(f.DataSet, f.Layout.Label, Number(f.Load.Succeeded), f.Problems.Count == 0 ? "ok" : string.Join("; ", f.Problems));
        }

        return "After each row, in the row's own projects (they started at context_version 0 with no approval): the context_versions "
            + "went up by the number of successful promotions in all, with as many approval rows and as many versions no longer "
            + "draft; each path promoted has exactly one approved version, the one whose approval is the latest, and its content "
            + "is in the project's context at schema_key; each project's approvals are numbered 1 to its context_version, once each "
            + "(no lost or doubled increment).\n\n" + table;
    }

    /// <summary>The fastest promotions/s seen on this server, to seed enough versions for the next run.</summary>
    internal sealed class RateEstimate
    {
        private double _perSecond = 200;

        public void Observe(LoadResult load)
        {
            // A run whose workers ran out was faster than its count says: assume twice as fast.
            var rate = load.RequestsPerSecond * (load.RanOut > 0 ? 2 : 1);
            _perSecond = Math.Max(_perSecond, rate);
        }

        public int Budget(TimeSpan run, int workers)
            => Math.Max(MinimumPerWorker * workers, (int)Math.Ceiling(_perSecond * (run.TotalSeconds + 1) * Margin));
    }
}
