using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;
using ArtifactGraph.Bench.Reporting;
using ArtifactGraph.Bench.Seeding;
using static ArtifactGraph.Bench.Reporting.BenchReport;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>The figures of one kind of write in round <c>Round</c>, with activity and revisions recorded or not.</summary>
public sealed record RecordingFigures(
    int Round, bool Recorded, string Write, IReadOnlyList<string> Problems, LoadResult Load, StatementSample Statements, CpuUsage Cpu, long? PeakMemory)
    : MeasuredLoad(Load, Statements, Cpu, PeakMemory);

/// <summary>
/// What recording Directus's activity and revisions costs the writes: promotions (on paths of one project, which
/// serialise on its row lock, and of distinct projects) and plain mutations (an update of one item; a create with two
/// nested junction rows and their versions), on a server that records nothing (<c>ACCOUNTABILITY=*:none</c>) and on one as it ships
/// (everything recorded). Both servers run side by side, warmed up alike; each write is measured in <see cref="Rounds"/>
/// rounds, off then on, then on then off, and so on, each a short slice of the configured warm-up and duration. A
/// shared machine's load drifts over minutes; slices a few seconds apart see the same load, so the ratio of the two
/// servers' totals is the recording's cost, not the drift.
/// </summary>
public sealed class AccountabilityScenario : IBenchScenario
{
    /// <summary>Rounds per write: an even number, so that each server goes first as often as second.</summary>
    public const int Rounds = 4;

    private static readonly TimeSpan MutationWarmUp = TimeSpan.FromSeconds(5);

    private static readonly IReadOnlyList<PromotionLayout> Layouts = [.. PromotionLayout.All.Where(l => !l.OnePath)];

    public string Name => "accountability";

    public string Description => "promotions/s and mutations/s without (ACCOUNTABILITY=*:none) and with activity and revisions recorded, "
        + $"two servers side by side measured in {Rounds} interleaved rounds per write";

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
            figures.AddRange(await RunAsync(context, database, targets, cancellationToken));
        }

        var connections = context.Options.Load.Connections;
        context.Report.Section("Data sets", QueriesScenario.ImportTable(imports));
        context.Report.Section("What recording costs each write", SummaryTable(figures));
        context.Report.Section("Writes without and with activity and revisions, round by round", ResultTable(figures, connections));
        string[] labels = ["round", "recorded", "write"];
        context.Report.Section(
            "Where the CPU went (cores, during the measured period)",
            MeasurementTables.Cpu(figures, labels, f => [Number(f.Round), f.Recorded ? "on" : "off", f.Write], "write"));
        context.Report.Section(
            $"SQL statements per write (by shape, {context.Statements.Source})",
            MeasurementTables.Statements(figures.Where(f => f.Round <= 1), ["recorded", "write"], f => [f.Recorded ? "on" : "off", f.Write], "write"));
    }

    private static async Task<List<RecordingFigures>> RunAsync(
        BenchContext context, BenchDatabase database, MutationTargets targets, CancellationToken cancellationToken)
    {
        var connections = context.Options.Load.Connections;
        await using var off = await Server.StartAsync(context, database, recorded: false, cancellationToken);
        await using var on = await Server.StartAsync(context, database, recorded: true, cancellationToken);
        Server[] servers = [off, on];
        var slice = 0;
        foreach (var server in servers)
        {
            await PromotionsScenario.WarmUpAsync(context, database, server.Process, server.Client, server.Rate, cancellationToken);

            // The plain mutations too, so that no round measures their first requests (their code compiled anew).
            foreach (var write in MutationTargets.Kinds)
            {
                await LoadDriver.RunAsync(
                    server.Client, targets.Requests(write, ++slice, connections), new LoadOptions(connections, TimeSpan.Zero, MutationWarmUp), MeasureHooks.None, cancellationToken);
            }
        }

        var figures = new List<RecordingFigures>();
        foreach (var layout in Layouts)
        {
            var write = $"promotion, {layout.Label}";
            for (var round = 1; round <= Rounds; round++)
            {
                foreach (var server in Order(servers, round))
                {
                    var load = context.Options.Load;
                    var paths = await PromotionsScenario.SeedAsync(
                        context, database, layout, server.Rate.Budget(load.WarmUp + load.Duration, connections), cancellationToken);
                    var measured = await LoadMeasurement.MeasureAsync(context, database, server.Process, server.Client, paths, cancellationToken);
                    server.Rate.Observe(measured.Load);
                    var problems = await paths.VerifyAsync(context.Postgres, database.Name, measured.Load.Succeeded, cancellationToken);
                    figures.Add(Report(new RecordingFigures(round, server.Recorded, write, problems, measured.Load, measured.Statements, measured.Cpu, measured.PeakMemory)));
                }
            }
        }

        foreach (var write in MutationTargets.Kinds)
        {
            for (var round = 1; round <= Rounds; round++)
            {
                foreach (var server in Order(servers, round))
                {
                    var requests = targets.Requests(write, ++slice, connections);
                    var measured = await LoadMeasurement.MeasureAsync(context, database, server.Process, server.Client, requests, cancellationToken);
                    figures.Add(Report(new RecordingFigures(round, server.Recorded, write, [], measured.Load, measured.Statements, measured.Cpu, measured.PeakMemory)));
                }
            }
        }

        foreach (var server in servers.Where(_ => figures.Any(f => f.Load.Failures > 0)))
        {
            server.Nodes.ReportLogs();
        }

        return figures;
    }

    // Off first in odd rounds, on first in even ones.
    private static IEnumerable<Server> Order(Server[] servers, int round) => round % 2 == 1 ? servers : servers.Reverse();

    private static RecordingFigures Report(RecordingFigures f)
    {
        BenchContext.Progress(
            $"round {f.Round}, recorded {(f.Recorded ? "on" : "off")}, {f.Write}: {Number(f.Load.RequestsPerSecond)} writes/s, "
            + $"{f.Load.Failures} failures{(f.Problems.Count == 0 ? "" : ", checks: " + string.Join("; ", f.Problems))}");
        return f;
    }

    private static string ResultTable(IReadOnlyList<RecordingFigures> figures, int connections)
    {
        var table = new MarkdownTable("write", "round:", "recorded", "writes/s:", "× off:", "p50 ms:", "p99 ms:", "failures:", "SQL/write:", "checks");
        foreach (var f in figures.OrderBy(f => f.Write, StringComparer.Ordinal).ThenBy(f => f.Round).ThenBy(f => f.Recorded))
        {
            table.Add(
                f.Write, Number(f.Round), f.Recorded ? "on" : "off", Number(f.Load.RequestsPerSecond),
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
            + "nested revisions pointing to their parent's). Both servers run side by side after the same promotion warm-up; each round "
            + "measures one, then the other (off first in odd rounds); × off: against the mean of the rounds without recording of the "
            + "same write.\n\n" + table;
    }

    private static string SummaryTable(IReadOnlyList<RecordingFigures> figures)
    {
        var table = new MarkdownTable("write", "writes/s off:", "writes/s on:", "on ÷ off:", "on ÷ off, round by round", "SQL/write off:", "SQL/write on:");
        foreach (var write in figures.GroupBy(f => f.Write))
        {
            var off = write.Where(f => !f.Recorded).ToList();
            var on = write.Where(f => f.Recorded).ToList();
            var (rateOff, rateOn) = (AlternatingRuns.Rate(off), AlternatingRuns.Rate(on));
            table.Add(
                write.Key, Number(rateOff), Number(rateOn), Number(rateOn / rateOff, 2), AlternatingRuns.RoundRatios(off, on, f => f.Round),
                Number(off.Average(f => f.StatementsPerRequest), 2), Number(on.Average(f => f.StatementsPerRequest), 2));
        }

        return $"Writes/s: all of a server's measured writes over all its measured time ({Rounds} rounds each). Target: on ÷ off at least 0.80.\n\n" + table;
    }

    /// <summary>One of the two servers: recording or not, with its client and its promotion rate for seeding.</summary>
    private sealed class Server(bool recorded, ServerNodes nodes, HttpClient client) : IAsyncDisposable
    {
        public bool Recorded { get; } = recorded;

        public ServerNodes Nodes { get; } = nodes;

        public ServerProcess Process => Nodes.All[0];

        public HttpClient Client { get; } = client;

        public PromotionsScenario.RateEstimate Rate { get; } = new();

        public static async Task<Server> StartAsync(BenchContext context, BenchDatabase database, bool recorded, CancellationToken cancellationToken)
        {
            var setting = recorded ? new Dictionary<string, string>() : new Dictionary<string, string> { ["ACCOUNTABILITY"] = "*:none" };
            var nodes = await ServerNodes.StartAsync(context, database, 1, setting, cancellationToken);
            return new Server(recorded, nodes, nodes.Client(1, context.Options.Load.Connections));
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Nodes.DisposeAsync();
        }
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

        public static readonly string[] Kinds = ["update", "nested create"];

        /// <summary>A plain mutation's requests for slice <paramref name="slice"/>, each writing something new (a title never written before, new items).</summary>
        public ILoadRequests Requests(string write, int slice, int workers) => write switch
        {
            "update" => new GeneratedRequests(workers, (worker, n) =>
                $"mutation {{ update_tasks_item(id: \"{Tasks[worker % Tasks.Count]}\", data: {{ title: \"bench {slice} {worker} {n}\" }}) {{ id }} }}"),
            _ => new GeneratedRequests(workers, (worker, n) =>
                $"mutation {{ create_tasks_item(data: {{ title: \"bench {slice} {worker} {n}\", status: \"todo\", artifacts: ["
                + string.Join(", ", Enumerable.Range(1, 2).Select(i =>
                    $"{{ sort: {i}, artifact_version_id: {{ schema_key: \"bench/{slice}/{worker}/{n}/{i}\", version: 1, status: \"draft\" }} }}"))
                + "] }) { id } }"),
        };
    }

    /// <summary>A new request for each send of each worker, never running out.</summary>
    private sealed class GeneratedRequests(int workers, Func<int, long, string> query) : ILoadRequests
    {
        private readonly long[] _sent = new long[workers];

        public GraphQLPost? Next(int worker) => new(query(worker, _sent[worker]++));

        public string? Check(ReadOnlySpan<byte> body) => GraphQLPost.CheckAnswer(body);
    }
}
