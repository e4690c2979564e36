using System.Text.Json;
using System.Threading.Channels;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Diagnostics;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Server.Http;
using ArtifactGraph.Server.Invalidation;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ArtifactGraph.Tests.Subscriptions;

/// <summary>
/// The re-reads behind subscription events are batched: the items of a write's burst are read with one statement per
/// collection, permission set and selection (their relations with one more per relation), shared by all subscribers
/// with the same permissions and selection, whatever their number and the number of items; each subscriber still
/// gets only the items it may read, in order, with what a query of the same selection answers. Subscriptions run
/// through the server's request runner on a real database; writes go through the real write path (on PostgreSQL its
/// NOTIFY reaches the node's real listener).
/// </summary>
public sealed class BatchedEventReadTests
{
    private const string Apollo3 = "bbbbbbbb-0000-4000-8000-000000000003";
    private const string Apollo4 = "bbbbbbbb-0000-4000-8000-000000000004";
    private const string Apollo5 = "bbbbbbbb-0000-4000-8000-000000000005";
    private const string Borealis10 = "bbbbbbbb-0000-4000-8000-000000000010";
    private const string Flat = "id status project_id { name }";
    private const string Nested = "id status files { sort directus_files_id { filename_download } }";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    public static TheoryData<DatabaseClient> Databases => new() { DatabaseClient.Sqlite, DatabaseClient.Postgres };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task A_burst_is_read_once_per_permission_set_and_selection_whatever_the_subscribers_and_items(DatabaseClient client)
    {
        await using var database = await TestDatabase.CreateAsync(client);
        await database.ImportSeedAsync();
        await database.ImportAsync(SharedPaths.Fixture("editor-role.json"));
        var settings = database.Settings with { WebSockets = database.Settings.WebSockets with { Enabled = true } };
        await using var harness = new EngineHarness(database, settings, ownsDatabase: false, services => services.AddSingleton(settings));
        var listener = harness.Services.GetServices<IHostedService>().OfType<InvalidationListener>().SingleOrDefault();
        if (listener is not null)
        {
            await listener.StartAsync(CancellationToken.None);
        }

        try
        {
            var execution = harness.ExecutionService(settings);
            var admin = EngineHarness.Admin;
            var editor = await harness.SignInAsync("editor-token") ?? throw new InvalidOperationException("no editor");

            // Until the node hears its own writes (PostgreSQL: the listener is listening), nothing below can be counted.
            var warm = await Subscriber.StartAsync(execution, harness.Services, admin, Flat);
            for (var heard = false; !heard;)
            {
                await WriteAsync(execution, harness.Services, [Apollo3], "in_review");
                heard = await warm.NextAsync(TimeSpan.FromSeconds(2)) is not null;
            }

            warm.Dispose();

            // One subscriber per permission set and selection, and a burst of one item.
            List<Subscriber> admins = [await Subscriber.StartAsync(execution, harness.Services, admin, Flat)];
            List<Subscriber> nested = [await Subscriber.StartAsync(execution, harness.Services, admin, Nested)];
            List<Subscriber> editors = [await Subscriber.StartAsync(execution, harness.Services, editor, Flat)];
            var small = await ReadStatementsAsync(harness, execution, [Apollo3], "draft", [.. admins, .. nested, .. editors], [1, 1, 1]);

            // Four times the subscribers and three times the items (one the editor may not read): the same statements.
            for (var i = 0; i < 3; i++)
            {
                admins.Add(await Subscriber.StartAsync(execution, harness.Services, admin, Flat));
                nested.Add(await Subscriber.StartAsync(execution, harness.Services, admin, Nested));
                editors.Add(await Subscriber.StartAsync(execution, harness.Services, editor, Flat));
            }

            var all = admins.Concat(nested).Concat(editors).ToList();
            var firstRun = all.Select(s => s.Received.Count).ToList();
            var large = await ReadStatementsAsync(harness, execution, [Apollo4, Borealis10, Apollo5], "in_review", all, [.. admins.Concat(nested).Select(_ => 3), .. editors.Select(_ => 2)]);
            Assert.True(small == large, $"a burst of 1 item for 3 subscribers read with {small} statements, one of 3 items for 12 with {large}");

            // Flat selections read the items with their joined project (one statement per permission set); the nested one
            // adds one statement for the files (their directus_files_id joined): 2 + 2 at the most whatever the burst.
            Assert.InRange(large, 3, 5);

            // Each subscriber: its items in order, only those it may read, as a query of the same selection answers them.
            for (var i = 0; i < all.Count; i++)
            {
                var subscriber = all[i];
                var keys = subscriber.Received.Skip(firstRun[i]).Select(e => e.GetProperty("key").GetString()).ToList();
                Assert.Equal(editors.Contains(subscriber) ? [Apollo4, Apollo5] : [Apollo4, Borealis10, Apollo5], keys);
                await AssertAsQueriedAsync(harness, subscriber, subscriber.Received);
            }

            // Items the subscribers saw before, in a later burst: read as freshly, with the same statements.
            var seen = all.Select(s => s.Received.Count).ToList();
            var again = await ReadStatementsAsync(harness, execution, [Apollo3, Apollo4], "draft", all, [.. all.Select(_ => 2)]);
            Assert.True(again == small, $"a burst of items seen before read with {again} statements, the first burst with {small}");
            for (var i = 0; i < all.Count; i++)
            {
                await AssertAsQueriedAsync(harness, all[i], all[i].Received.Skip(seen[i]));
            }

            foreach (var subscriber in all)
            {
                subscriber.Dispose();
            }
        }
        finally
        {
            if (listener is not null)
            {
                await listener.StopAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>Each event's <c>data</c> is what a query of the subscriber's selection answers it now.</summary>
    private static async Task AssertAsQueriedAsync(EngineHarness harness, Subscriber subscriber, IEnumerable<JsonElement> events)
    {
        foreach (var e in events)
        {
            var query = $$"""{ artifact_versions_by_id(id: "{{e.GetProperty("key").GetString()}}") { {{subscriber.Selection}} } }""";
            var answer = JsonDocument.Parse(await harness.ExecuteDirectusJsonAsync(query, who: subscriber.Who)).RootElement;
            Assert.Equal(answer.GetProperty("data").GetProperty("artifact_versions_by_id").GetRawText(), e.GetProperty("data").GetRawText());
        }
    }

    /// <summary>
    /// Writes <paramref name="keys"/> in one mutation, waits until each subscriber received its events, and answers how
    /// many statements were run besides the write's own (the subscribers' re-reads).
    /// </summary>
    private static async Task<long> ReadStatementsAsync(
        EngineHarness harness, GraphQLExecutionService execution, string[] keys, string status, List<Subscriber> subscribers, int[] expected)
    {
        var counter = harness.Services.GetRequiredService<StatementCounter>();
        var before = counter.Count;
        var written = await WriteAsync(execution, harness.Services, keys, status);
        for (var i = 0; i < subscribers.Count; i++)
        {
            for (var n = 0; n < expected[i]; n++)
            {
                var e = await subscribers[i].NextAsync(Wait);
                Assert.True(e is not null, $"subscriber {i} received {n} of {expected[i]} events");
                Assert.Equal(status, e.Value.GetProperty("data").GetProperty("status").GetString());
            }
        }

        // Order is kept per subscriber, so an event it should not have had would have come before the last expected one.
        Assert.All(subscribers, s => Assert.Null(s.Pending()));
        return counter.Count - before - written;
    }

    /// <summary>One mutation updating <paramref name="keys"/>; its own statements, counted in a scope of its own (the subscribers' reads run in theirs).</summary>
    private static async Task<long> WriteAsync(GraphQLExecutionService execution, IServiceProvider services, string[] keys, string status)
    {
        var scope = StatementCounter.BeginScope();
        var ids = string.Join(", ", keys.Select(k => $"\"{k}\""));
        var outcome = await execution.ExecuteAsync(
            new GraphQLRequest($$"""mutation { update_artifact_versions_items(ids: [{{ids}}], data: { status: "{{status}}" }) { id } }""", null, null),
            GraphQLScope.Items, EngineHarness.Admin, viaGet: false, services, null, CancellationToken.None);
        Assert.True(outcome.Result is { Errors: null or { Count: 0 } }, outcome.Result?.Errors?[0].Message ?? "no result");
        return scope.Value;
    }

    /// <summary>One subscription run as the WebSocket endpoint runs it, its events (the <c>artifact_versions_mutated</c> value) as they arrive.</summary>
    private sealed class Subscriber : IObserver<ExecutionResult>, IDisposable
    {
        private readonly Channel<JsonElement> events = Channel.CreateUnbounded<JsonElement>();
        private IDisposable? subscription;

        private Subscriber(Accountability who, string selection)
        {
            Who = who;
            Selection = selection;
        }

        public Accountability Who { get; }

        public string Selection { get; }

        public List<JsonElement> Received { get; } = [];

        public static async Task<Subscriber> StartAsync(GraphQLExecutionService execution, IServiceProvider services, Accountability who, string selection)
        {
            var subscriber = new Subscriber(who, selection);
            var outcome = await execution.ExecuteAsync(
                new GraphQLRequest($"subscription {{ artifact_versions_mutated {{ key event data {{ {selection} }} }} }}", null, null),
                GraphQLScope.Items, who, viaGet: false, services, null, CancellationToken.None, subscribable: true);
            var stream = Assert.Single(outcome.Result?.Streams ?? throw new InvalidOperationException("no stream")).Value;
            subscriber.subscription = stream.Subscribe(subscriber);
            return subscriber;
        }

        public async Task<JsonElement?> NextAsync(TimeSpan wait)
        {
            using var cancel = new CancellationTokenSource(wait);
            try
            {
                var e = await events.Reader.ReadAsync(cancel.Token);
                Received.Add(e);
                return e;
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        public JsonElement? Pending() => events.Reader.TryPeek(out var e) ? e : null;

        public void OnNext(ExecutionResult value)
        {
            var errors = (value.Errors ?? []).Select(e => ExecutionErrorShaper.Shape(e, Who)).ToList();
            var body = JsonDocument.Parse(GraphQLResponseWriter.Render(errors, value)).RootElement;
            events.Writer.TryWrite(body.GetProperty("data").GetProperty("artifact_versions_mutated").Clone());
        }

        public void OnError(Exception error) => events.Writer.TryComplete(error);

        public void OnCompleted() => events.Writer.TryComplete();

        public void Dispose() => subscription?.Dispose();
    }
}
