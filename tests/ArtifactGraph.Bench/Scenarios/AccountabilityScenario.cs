using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;
using ArtifactGraph.Bench.Reporting;
using ArtifactGraph.Bench.Seeding;
using static ArtifactGraph.Bench.Reporting.BenchReport;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>The figures of one kind of write in run <c>Run</c> (1 to 4), with activity and revisions recorded or not.</summary>
public sealed record RecordingFigures(
    int Run, bool Recorded, string Write, IReadOnlyList<string> Problems, LoadResult Load, StatementSample Statements, CpuUsage Cpu, long? PeakMemory)
    : MeasuredLoad(Load, Statements, Cpu, PeakMemory);

/// <summary>
/// What recording Directus's activity and revisions costs the writes: promotions (on paths of one project, which
/// serialise on its row lock, and of distinct projects) and plain mutations (an update of one item; a create with two
/// nested junction rows and their versions), on a server that records nothing (<c>ACCOUNTABILITY=*:none</c>) and on one as it ships
/// (everything recorded). Four runs, off, on, on, off, each on a fresh server warmed up alike, so that a drift of a shared
/// machine's load weighs on both alike.
/// </summary>
public sealed class AccountabilityScenario : IBenchScenario
{
    private static readonly IReadOnlyList<PromotionLayout> Layouts = [.. PromotionLayout.All.Where(l => !l.OnePath)];

    public string Name => "accountability";

    public string Description => "promotions/s and mutations/s without (ACCOUNTABILITY=*:none) and with activity and revisions recorded, "
        + "in four runs off, on, on, off";

    public IReadOnlyList<DataSet> DefaultSizes { get; } = [DataSet.Parse(DataSet.DirectusName)];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var imports = new List<ImportFigures>();
        var figures = new List<RecordingFigures>();
        foreach (var dataSet in context.Options.Sizes)
        {
            await using var database = await BenchDatabase.CreateAsync(context, dataSet, cancellationToken);
            imports.Add(database.Import);
            var targets = await MutationTargets.ReadAsync(context, database, cancellationToken);
            figures.AddRange(await AlternatingRuns.RunAsync<RecordingFigures>(
                async (run, recorded) => await RunAsync(context, database, targets, run, recorded, cancellationToken)));
        }

        var connections = context.Options.Load.Connections;
        context.Report.Section("Data sets", QueriesScenario.ImportTable(imports));
        context.Report.Section("Writes without and with activity and revisions", ResultTable(figures, connections));
        string[] labels = ["run", "recorded", "write"];
        context.Report.Section(
            "Where the CPU went (cores, during the measured period)",
            MeasurementTables.Cpu(figures, labels, f => [Number(f.Run), f.Recorded ? "on" : "off", f.Write], "write"));
        context.Report.Section(
            $"SQL statements per write (by shape, {context.Statements.Source})",
            MeasurementTables.Statements(figures.Where(f => f.Run <= 2), ["recorded", "write"], f => [f.Recorded ? "on" : "off", f.Write], "write"));
    }

    private static async Task<List<RecordingFigures>> RunAsync(
        BenchContext context, BenchDatabase database, MutationTargets targets, int run, bool recorded, CancellationToken cancellationToken)
    {
        var connections = context.Options.Load.Connections;
        var setting = recorded ? new Dictionary<string, string>() : new Dictionary<string, string> { ["ACCOUNTABILITY"] = "*:none" };
        await using var nodes = await ServerNodes.StartAsync(context, database, 1, setting, cancellationToken);
        var server = nodes.All[0];
        using var client = nodes.Client(1, connections);
        var rate = new PromotionsScenario.RateEstimate();
        await PromotionsScenario.WarmUpAsync(context, database, server, client, rate, cancellationToken);
        var figures = new List<RecordingFigures>();
        foreach (var layout in Layouts)
        {
            var load = context.Options.Load;
            var paths = await PromotionsScenario.SeedAsync(context, database, layout, rate.Budget(load.WarmUp + load.Duration, connections), cancellationToken);
            var measured = await LoadMeasurement.MeasureAsync(context, database, server, client, paths, cancellationToken);
            rate.Observe(measured.Load);
            var problems = await paths.VerifyAsync(context.Postgres, database.Name, measured.Load.Succeeded, cancellationToken);
            figures.Add(Report(new RecordingFigures(run, recorded, $"promotion, {layout.Label}", problems, measured.Load, measured.Statements, measured.Cpu, measured.PeakMemory)));
        }

        foreach (var (write, requests) in targets.Writes(run, connections))
        {
            var measured = await LoadMeasurement.MeasureAsync(context, database, server, client, requests, cancellationToken);
            figures.Add(Report(new RecordingFigures(run, recorded, write, [], measured.Load, measured.Statements, measured.Cpu, measured.PeakMemory)));
        }

        if (figures.Any(f => f.Load.Failures > 0))
        {
            nodes.ReportLogs();
        }

        return figures;
    }

    private static RecordingFigures Report(RecordingFigures f)
    {
        BenchContext.Progress(
            $"run {f.Run}, recorded {(f.Recorded ? "on" : "off")}, {f.Write}: {Number(f.Load.RequestsPerSecond)} writes/s, "
            + $"{f.Load.Failures} failures{(f.Problems.Count == 0 ? "" : ", checks: " + string.Join("; ", f.Problems))}");
        return f;
    }

    private static string ResultTable(IReadOnlyList<RecordingFigures> figures, int connections)
    {
        var table = new MarkdownTable("write", "run:", "recorded", "writes/s:", "× off:", "p50 ms:", "p99 ms:", "failures:", "SQL/write:", "checks");
        foreach (var f in figures.OrderBy(f => f.Write, StringComparer.Ordinal).ThenBy(f => f.Run))
        {
            table.Add(
                f.Write, Number(f.Run), f.Recorded ? "on" : "off", Number(f.Load.RequestsPerSecond),
                AlternatingRuns.RatioToOff(figures, f, g => g.Recorded, (g, h) => g.Write == h.Write, g => g.Load.RequestsPerSecond),
                Milliseconds(f.Load.Latency.Percentile(50)), Milliseconds(f.Load.Latency.Percentile(99)), Number(f.Load.Failures),
                Number(f.StatementsPerRequest, 2), f.Problems.Count == 0 ? "ok" : string.Join("; ", f.Problems));
        }

        return $"{connections} connections, closed loop, the administrator's token. Off: `ACCOUNTABILITY=*:none` (nothing recorded); "
            + "on: the server as it ships (an activity row per written item, a revision per create and per update that wrote "
            + "something, in the write's transaction). Promotions as in the promotions scenario (the promoted version, the one it "
            + "supersedes, the project and the approval: four activity rows and four revisions each). Update: "
            + "`update_tasks_item(id, data: { title })` with a new title each time, each worker on its own task (one of each). Nested "
            + "create: `create_tasks_item` with two `artifacts` junction rows, each creating its version (five of each, the "
            + "nested revisions pointing to their parent's). Four runs, off, on, on, off, each on a fresh server after the same promotion warm-up; "
            + "× off: against the mean of the two runs without recording of the same write.\n\n" + table;
    }

    /// <summary>One task per worker, made for the updates, so that no two workers wait for each other's row lock.</summary>
    private sealed record MutationTargets(IReadOnlyList<Guid> Tasks)
    {
        public static async Task<MutationTargets> ReadAsync(BenchContext context, BenchDatabase database, CancellationToken cancellationToken)
        {
            await using var connection = await context.Postgres.OpenAsync(database.Name, cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO tasks (id, title, status) SELECT gen_random_uuid(), 'bench ' || g, 'todo' "
                + $"FROM generate_series(1, {context.Options.Load.Connections}) AS g RETURNING id";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var tasks = new List<Guid>();
            while (await reader.ReadAsync(cancellationToken))
            {
                tasks.Add(reader.GetGuid(0));
            }

            return new MutationTargets(tasks);
        }

        /// <summary>The plain mutations, each request writing something new (a title never written before, new items).</summary>
        public IEnumerable<(string Write, ILoadRequests Requests)> Writes(int run, int workers)
        {
            yield return ("update", new GeneratedRequests(workers, (worker, n) =>
                $"mutation {{ update_tasks_item(id: \"{Tasks[worker % Tasks.Count]}\", data: {{ title: \"bench {run} {worker} {n}\" }}) {{ id }} }}"));
            yield return ("nested create", new GeneratedRequests(workers, (worker, n) =>
                $"mutation {{ create_tasks_item(data: {{ title: \"bench {run} {worker} {n}\", status: \"todo\", artifacts: ["
                + string.Join(", ", Enumerable.Range(1, 2).Select(i =>
                    $"{{ sort: {i}, artifact_version_id: {{ schema_key: \"bench/{run}/{worker}/{n}/{i}\", version: 1, status: \"draft\" }} }}"))
                + "] }) { id } }"));
        }
    }

    /// <summary>A new request for each send of each worker, never running out.</summary>
    private sealed class GeneratedRequests(int workers, Func<int, long, string> query) : ILoadRequests
    {
        private readonly long[] _sent = new long[workers];

        public GraphQLPost? Next(int worker) => new(query(worker, _sent[worker]++));

        public string? Check(ReadOnlySpan<byte> body) => GraphQLPost.CheckAnswer(body);
    }
}
