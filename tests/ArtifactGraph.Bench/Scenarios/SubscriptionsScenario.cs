using System.Diagnostics;
using System.Text.Json;
using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;
using ArtifactGraph.Bench.Reporting;
using ArtifactGraph.Bench.Seeding;
using static ArtifactGraph.Bench.Reporting.BenchReport;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>The delivery of the events of <c>Updates</c> HTTP updates to every subscriber.</summary>
/// <param name="FromResponse">Per event received: from the update's HTTP answer having arrived to the event's arrival (0 when the event came first).</param>
/// <param name="FromRequest">Per event received: from the update's request being sent to the event's arrival.</param>
public sealed record DeliveryFigures(
    int Subscribers, int Updates, long Expected, long Received, long BeforeResponse, LatencyHistogram FromResponse, LatencyHistogram FromRequest, LatencyHistogram Writes);

/// <summary>The server's resident memory around opening the connections and subscribing on them.</summary>
public sealed record ConnectionMemory(string Gc, int Connections, long? Before, long? Connected, long? Subscribed);

/// <summary>
/// GraphQL subscriptions over WebSocket on one node over PostgreSQL (<c>WEBSOCKETS_ENABLED=true</c>): the server's memory
/// per idle connection (resident memory before and after opening <c>--subscribers</c> acknowledged connections, then after
/// subscribing on each), the time from an HTTP update to each subscriber's event, and the two nested queries' throughput
/// with all the subscribers connected and without them.
/// </summary>
public sealed class SubscriptionsScenario : IBenchScenario
{
    private const string Subscription = "subscription { artifact_versions_mutated { key event data { id status } } }";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(30);

    public string Name => "subscriptions";

    public string Description => "GraphQL subscriptions over WebSocket (--subscribers, default 1000, one connection each): memory per idle connection, "
        + "update-to-event latency (--updates), and the nested queries' req/s with and without the subscribers connected";

    public IReadOnlyList<DataSet> DefaultSizes { get; } = [DataSet.Parse(DataSet.DirectusName)];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var count = context.Options.Subscribers;
        var imports = new List<ImportFigures>();
        var memory = new List<(string DataSet, ConnectionMemory Figures)>();
        var deliveries = new List<(string DataSet, DeliveryFigures Figures)>();
        var reads = new List<(string DataSet, Phase Phase, QueryFigures Figures)>();
        foreach (var dataSet in context.Options.Sizes)
        {
            await using var database = await BenchDatabase.CreateAsync(context, dataSet, cancellationToken);
            imports.Add(database.Import);
            var environment = new Dictionary<string, string>(database.ServerEnvironment(context.Options)) { ["WEBSOCKETS_ENABLED"] = "true" };
            // Memory on servers of their own: as shipped (server GC), and with the workstation GC, whose heap stays close to
            // what is alive, so that its figure says what a connection holds rather than how the server GC sized its heaps.
            foreach (var (gc, extra) in GcModes)
            {
                await using var measured = await ServerProcess.StartAsync(
                    context.Server, environment.Concat(extra).ToDictionary(e => e.Key, e => e.Value), database.WorkDirectory, cancellationToken);
                using var measuredClient = LoadDriver.CreateClient(measured.BaseAddress, DataSetImporter.AdminToken, context.Options.Load.Connections);
                memory.Add((dataSet.Name, await MemoryAsync(context, measured, measuredClient, count, gc, cancellationToken)));
            }

            await using var server = await ServerProcess.StartAsync(context.Server, environment, database.WorkDirectory, cancellationToken);
            BenchContext.Progress($"{dataSet.Name}: server started (pid {server.Pid}) at {server.BaseAddress}, WEBSOCKETS_ENABLED=true");
            using var client = LoadDriver.CreateClient(server.BaseAddress, DataSetImporter.AdminToken, context.Options.Load.Connections);
            await using (var subscribers = await ConnectAsync(server, count, subscribe: true, cancellationToken))
            {
                await Task.Delay(Settle, cancellationToken);
                var delivery = await DeliverAsync(context, client, subscribers, cancellationToken);
                deliveries.Add((dataSet.Name, delivery));
                BenchContext.Progress(
                    $"{dataSet.Name}: {delivery.Received} of {delivery.Expected} events, p50 {Milliseconds(delivery.FromResponse.Percentile(50))} ms, "
                    + $"p99 {Milliseconds(delivery.FromResponse.Percentile(99))} ms after the update's answer");
            }

            // Without, with, without again: a drift of the shared machine's load weighs on both sides alike.
            await QueriesScenario.WarmUpAsync(context, dataSet, client, cancellationToken);
            reads.AddRange(await ReadsAsync(context, database, server, client, Phase.Before, cancellationToken));
            await using (await ConnectAsync(server, count, subscribe: true, cancellationToken))
            {
                await Task.Delay(Settle, cancellationToken);
                reads.AddRange(await ReadsAsync(context, database, server, client, Phase.With, cancellationToken));
            }

            await Task.Delay(Settle, cancellationToken);
            reads.AddRange(await ReadsAsync(context, database, server, client, Phase.After, cancellationToken));
        }

        context.Report.Section("Data sets", QueriesScenario.ImportTable(imports));
        context.Report.Section("Event delivery", DeliveryTable(deliveries));
        context.Report.Section("Server memory per connection", MemoryTable(memory));
        context.Report.Section("Nested queries with and without the subscribers", ReadTable(reads, count, context.Options.Load.Connections));
        string[] labels = ["data set", "subscribers", "query"];
        context.Report.Section(
            "Where the CPU went (cores, during the measured period)",
            MeasurementTables.Cpu(reads.Select(r => r.Figures), labels, f => Labels(reads, f, count)));
    }

    /// <summary>When a read was measured: before the subscribers connected, with them, after they left.</summary>
    public enum Phase
    {
        Before,
        With,
        After,
    }

    private static string[] Labels(List<(string DataSet, Phase Phase, QueryFigures Figures)> reads, QueryFigures f, int count)
    {
        var row = reads.First(r => ReferenceEquals(r.Figures, f));
        return [row.DataSet, row.Phase == Phase.With ? Number(count) : $"0 ({row.Phase.ToString().ToLowerInvariant()})", f.Query.Key];
    }

    private static readonly (string Name, Dictionary<string, string> Environment)[] GcModes =
    [
        ("server (as shipped)", []),
        ("workstation", new() { ["DOTNET_gcServer"] = "0" }),
    ];

    /// <summary>The server's resident memory before, with <paramref name="count"/> idle connections, and with a subscription on each.</summary>
    private static async Task<ConnectionMemory> MemoryAsync(
        BenchContext context, ServerProcess server, HttpClient client, int count, string gc, CancellationToken cancellationToken)
    {
        // A few connections first, so that the figures below hold the connections and not the code's first use.
        await using (await WebSocketSubscribers.ConnectAsync(server.BaseAddress, DataSetImporter.AdminToken, 20, 20, cancellationToken))
        {
        }

        var before = await SettledMemoryAsync(context, server, client, cancellationToken);
        await using var subscribers = await ConnectAsync(server, count, subscribe: false, cancellationToken);
        var connected = await SettledMemoryAsync(context, server, client, cancellationToken);
        await subscribers.SubscribeAsync(Subscription, cancellationToken);
        var subscribed = await SettledMemoryAsync(context, server, client, cancellationToken);
        BenchContext.Progress($"{gc} GC: {count} subscribers; server RSS {Megabytes(before)} → {Megabytes(connected)} → {Megabytes(subscribed)} MB");
        return new ConnectionMemory(gc, count, before, connected, subscribed);
    }

    private static async Task<WebSocketSubscribers> ConnectAsync(ServerProcess server, int count, bool subscribe, CancellationToken cancellationToken)
    {
        var subscribers = await WebSocketSubscribers.ConnectAsync(server.BaseAddress, DataSetImporter.AdminToken, count, 50, cancellationToken);
        if (subscribe)
        {
            await subscribers.SubscribeAsync(Subscription, cancellationToken);
        }

        return subscribers;
    }

    /// <summary>
    /// The server's resident memory after a short load of both queries (so that garbage of what came before is collected,
    /// as it would be on a server in use) and a pause.
    /// </summary>
    private static async Task<long?> SettledMemoryAsync(BenchContext context, ServerProcess server, HttpClient client, CancellationToken cancellationToken)
    {
        var posts = PerfQueries.All.Where(q => q.RestPath is null).Select(q => q.Request()).ToList();
        await LoadDriver.WarmUpAsync(client, posts, context.Options.Load.Connections, Settle, cancellationToken);
        await Task.Delay(Settle, cancellationToken);
        return server.Memory;
    }

    /// <summary>
    /// Updates one version's status over HTTP, one update at a time, each awaited by every subscriber (or the timeout)
    /// before the next; the first few are not counted (the server's first events run cold code).
    /// </summary>
    private static async Task<DeliveryFigures> DeliverAsync(BenchContext context, HttpClient client, WebSocketSubscribers subscribers, CancellationToken cancellationToken)
    {
        var version = await FirstVersionAsync(client, cancellationToken);
        const int unmeasured = 3;
        var updates = context.Options.Updates;
        var fromResponse = new LatencyHistogram();
        var fromRequest = new LatencyHistogram();
        var writes = new LatencyHistogram();
        long expected = 0, received = 0, beforeResponse = 0;
        for (var i = 0; i < unmeasured + updates; i++)
        {
            var target = subscribers.Received + subscribers.Count;
            var status = i % 2 == 0 ? "in_review" : "draft";
            var post = new GraphQLPost($$"""mutation { update_artifact_versions_item(id: "{{version}}", data: { status: "{{status}}" }) { id } }""");
            var sent = Stopwatch.GetTimestamp();
            using (var response = await client.SendAsync(post.CreateRequest(), cancellationToken))
            {
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                if (!response.IsSuccessStatusCode || GraphQLPost.CheckAnswer(body) is { } problem)
                {
                    throw new InvalidOperationException($"The update failed: HTTP {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
                }
            }

            var answered = Stopwatch.GetTimestamp();
            var reached = await subscribers.WaitForAsync(target, DeliveryTimeout, cancellationToken);
            if (i < unmeasured)
            {
                continue;
            }

            writes.Record(Microseconds(answered - sent));
            expected += subscribers.Count;
            received += reached - (target - subscribers.Count);
            foreach (var (last, _) in subscribers.Receipts())
            {
                if (last < sent)
                {
                    continue; // this update's event never came
                }

                beforeResponse += last < answered ? 1 : 0;
                fromResponse.Record(Microseconds(last - answered));
                fromRequest.Record(Microseconds(last - sent));
            }
        }

        return new DeliveryFigures(subscribers.Count, updates, expected, received, beforeResponse, fromResponse, fromRequest, writes);
    }

    private static long Microseconds(long ticks) => ticks * 1_000_000 / Stopwatch.Frequency;

    private static async Task<string> FirstVersionAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(new GraphQLPost("{ artifact_versions(limit: 1, sort: [\"id\"]) { id } }").CreateRequest(), cancellationToken);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        return answer.RootElement.GetProperty("data").GetProperty("artifact_versions")[0].GetProperty("id").GetString()!;
    }

    private static async Task<List<(string, Phase, QueryFigures)>> ReadsAsync(
        BenchContext context, BenchDatabase database, ServerProcess server, HttpClient client, Phase phase, CancellationToken cancellationToken)
    {
        var figures = new List<(string, Phase, QueryFigures)>();
        foreach (var query in PerfQueries.All.Where(q => q.RestPath is null)) // the two nested GraphQL queries
        {
            var result = await QueryMeasurement.MeasureAsync(context, database, server, client, query, cancellationToken);
            figures.Add((database.Import.DataSet, phase, result));
            BenchContext.Progress($"query {query.Key}, {phase.ToString().ToLowerInvariant()} the subscribers: {Number(result.Load.RequestsPerSecond)} req/s");
        }

        return figures;
    }

    private static string DeliveryTable(List<(string DataSet, DeliveryFigures Figures)> rows)
    {
        var table = new MarkdownTable(
            "data set", "subscribers:", "updates:", "events expected:", "received:", "p50 ms:", "p99 ms:", "max ms:",
            "before the answer:", "from request p50 ms:", "from request p99 ms:", "update p50 ms:");
        foreach (var (dataSet, f) in rows)
        {
            table.Add(
                dataSet, Number(f.Subscribers), Number(f.Updates), Number(f.Expected), Number(f.Received),
                Milliseconds(f.FromResponse.Percentile(50)), Milliseconds(f.FromResponse.Percentile(99)), Milliseconds(f.FromResponse.Max),
                Number(f.BeforeResponse), Milliseconds(f.FromRequest.Percentile(50)), Milliseconds(f.FromRequest.Percentile(99)), Milliseconds(f.Writes.Percentile(50)));
        }

        return "Every subscriber has its own WebSocket connection (graphql-transport-ws, admin token) and the subscription "
            + $"`{Subscription}`. The updates are `update_artifact_versions_item` over HTTP, one version's status back and forth, "
            + "one at a time: the next is sent once every subscriber received the previous one's event (or after "
            + $"{DeliveryTimeout.TotalSeconds:0} s); the first 3 are not counted. p50/p99/max: from the moment the update's HTTP "
            + "answer arrived at the client (the commit is before it) to each subscriber's receipt of the event, an event that "
            + "arrived first counting 0 (\"before the answer\" says how many did); \"from request\": from the moment the update was "
            + "sent. The server hears its own writes through PostgreSQL's NOTIFY, as every node does.\n\n" + table;
    }

    private static string MemoryTable(List<(string DataSet, ConnectionMemory Figures)> rows)
    {
        var table = new MarkdownTable("data set", "GC", "connections:", "RSS before MB:", "connected MB:", "KB per idle connection:", "subscribed MB:", "KB per subscription:");
        foreach (var (dataSet, f) in rows)
        {
            table.Add(
                dataSet, f.Gc, Number(f.Connections), Megabytes(f.Before), Megabytes(f.Connected), PerConnection(f.Before, f.Connected, f.Connections),
                Megabytes(f.Subscribed), PerConnection(f.Connected, f.Subscribed, f.Connections));
        }

        return "The server's resident memory (VmRSS), each time after a "
            + $"{Settle.TotalSeconds:0} s load of both nested queries (for the garbage of what came before to be collected, as on a "
            + $"server in use) and a {Settle.TotalSeconds:0} s pause: before (20 connections opened and closed first, the code's "
            + "first use), with the connections open and acknowledged (idle: no operation), then with a subscription on each; "
            + "the differences divided by the number of connections. Each GC on a server of its own: the server ships with "
            + ".NET's server GC, whose heaps keep much more than what is alive and move from run to run; the workstation GC "
            + "(`DOTNET_gcServer=0`) keeps its heap close to what is alive, so its figure is nearer to what a connection holds.\n\n" + table;
    }

    private static string PerConnection(long? from, long? to, int connections)
        => from is { } a && to is { } b ? Number((b - a) / 1024.0 / connections, 1) : "n/a";

    private static string ReadTable(List<(string DataSet, Phase Phase, QueryFigures Figures)> rows, int count, int connections)
    {
        var table = new MarkdownTable(
            "data set", "query", "req/s before:", "req/s with:", "req/s after:", "with / without:", "p99 ms before:", "p99 ms with:", "p99 ms after:",
            "server CPU ms/req without:", "server CPU ms/req with:");
        foreach (var with in rows.Where(r => r.Phase == Phase.With))
        {
            QueryFigures At(Phase phase) => rows.First(r => r.Phase == phase && r.DataSet == with.DataSet && r.Figures.Query.Key == with.Figures.Query.Key).Figures;
            var (before, f, after) = (At(Phase.Before), with.Figures, At(Phase.After));
            var without = (before.Load.RequestsPerSecond + after.Load.RequestsPerSecond) / 2;
            var cpuWithout = ((before.Cpu.Server * 1000 / before.Load.RequestsPerSecond) + (after.Cpu.Server * 1000 / after.Load.RequestsPerSecond)) / 2;
            table.Add(
                with.DataSet, f.Query.Label, Number(before.Load.RequestsPerSecond), Number(f.Load.RequestsPerSecond), Number(after.Load.RequestsPerSecond),
                Number(f.Load.RequestsPerSecond / without, 2),
                Milliseconds(before.Load.Latency.Percentile(99)), Milliseconds(f.Load.Latency.Percentile(99)), Milliseconds(after.Load.Latency.Percentile(99)),
                cpuWithout is { } a ? Number(a, 2) : "n/a", f.Cpu.Server * 1000 / f.Load.RequestsPerSecond is { } b ? Number(b, 2) : "n/a");
        }

        return $"{connections} HTTP connections, closed loop, as in the queries scenario, after the server warm-up, on one server: "
            + $"before the subscribers connected, with the {Number(count)} of them connected and subscribed (idle: no writes "
            + "meanwhile), after they left. with / without: against the mean of before and after.\n\n" + table;
    }
}
