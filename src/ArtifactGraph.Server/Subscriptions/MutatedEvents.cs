using System.Threading.Channels;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Directus.Schema;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Server.Items;
using ArtifactGraph.Server.Loading;

namespace ArtifactGraph.Server.Subscriptions;

/// <summary>What a <c>&lt;collection&gt;_mutated</c> subscription answers per event: the key, the event, the item (null for a delete).</summary>
public sealed record MutatedEvent(string Key, string Event, object? Data)
{
    /// <summary>
    /// The read state the item was read in, shared by every subscriber with the same permissions and selection: its
    /// batch loaders already hold the item's relations (the selection was loaded for the whole batch), so resolving
    /// the event's fields reads nothing more (see <see cref="SubscriptionEventStrategy"/>).
    /// </summary>
    public Items.ReadContext? Read { get; init; }

    /// <summary>This node's number for the event (<see cref="ItemEvent.Sequence"/>).</summary>
    public long Sequence { get; init; }

    /// <summary>The answers rendered for the events of the shared read, by <see cref="Sequence"/> (null: not shared).</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<long, TaskCompletionSource<byte[]?>>? Rendered { get; init; }
}

/// <summary>
/// What a subscriber's selection of <c>data</c> looks like, for sharing reads: the field node of a cached parsed document
/// (subscribers that send the same text get the same node) and the request's variables. Compared by node reference.
/// </summary>
internal sealed record SubscriptionShape(GraphQLParser.AST.GraphQLField Node, string Variables);

/// <summary>One shared read: a batch's items of a collection, for one set of access rules and one selection.</summary>
internal readonly record struct BatchReadKey(ChangeBatch Batch, string Collection, Access.AccessRules Access, SubscriptionShape Shape);

/// <summary>The items a batch read (by key; an item the permissions hide, or one gone since, is absent) and the read state that loaded their relations.</summary>
internal sealed record BatchRead(IReadOnlyDictionary<object, object> Items, Items.ReadContext Context)
{
    /// <summary>Each event's answer, rendered once for all the subscribers that share this read.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<long, TaskCompletionSource<byte[]?>> Rendered { get; } = new();
}

/// <summary>
/// The source stream of one <c>&lt;collection&gt;_mutated</c> subscription: the collection's events from the
/// <see cref="ChangeFeed"/>, in order, each item read again with the subscriber's own permissions (an item the
/// subscriber may not read after the change is not reported, as Directus does). The items of a batch are read
/// together: one statement for the batch's keys, then the selection's relations for all of them through the items
/// layer (<see cref="ItemTreeLoader"/>, one statement per relation), once per permission set and selection, and the
/// result is shared by every subscriber with the same (<see cref="ChangeFeed.Reads"/>).
/// </summary>
/// <param name="plan">
/// Plans the subscription's <c>data</c> selection afresh for each read (the loader fills a selection with what it loaded,
/// so one must not serve two reads); null when the direct planner does not take it: whole rows are read and relations
/// left to the resolvers.
/// </param>
internal sealed class MutatedEventStream(
    ChangeFeed feed, CollectionModel collection, string? only, GraphQLUserContext user, ItemReader reader, Func<ItemSelection?> plan, SubscriptionShape shape)
    : IObservable<object?>
{
    /// <summary>How many events may wait for one subscriber before it is ended as too slow.</summary>
    public const int MaxBacklog = 10_000;

    /// <summary>The stream of the subscription field <paramref name="context"/> resolves, its <c>data</c> selection planned for batched reads.</summary>
    public static MutatedEventStream For(global::GraphQL.IResolveFieldContext context, CollectionModel collection, GraphQLUserContext user, ItemReader reader)
    {
        var services = context.RequestServices!;
        var planner = new GraphQL.Direct.DirectQueryPlanner(services.GetRequiredService<DirectusModel>(), reader.Options.MaxRelationalDepth);
        var (document, arguments, given, node, access) = (context.Document, context.ExecutionContext.ArgumentValues, context.Variables, context.FieldAst, user.Accountability.Access);
        Func<ItemSelection?> plan = context.FieldDefinition.ResolvedType is global::GraphQL.Types.IObjectGraphType payload
            ? () => planner.PlanEventData(document, arguments, given, node, payload, collection, access)
            : () => null;
        var variables = given is not null && given.Any()
            ? string.Join('&', given.Select(v => v.Name + "=" + System.Text.Json.JsonSerializer.Serialize(v.Value)))
            : "";
        return new MutatedEventStream(
            services.GetRequiredService<ChangeFeed>(), collection, global::GraphQL.ResolveFieldContextExtensions.GetArgument<string?>(context, "event"), user, reader, plan,
            new SubscriptionShape(context.FieldAst, variables));
    }

    public IDisposable Subscribe(IObserver<object?> observer)
    {
        // Bounded: a subscriber that cannot keep up (a slow socket) is ended rather than let its backlog grow.
        var events = Channel.CreateBounded<ItemEvent>(new BoundedChannelOptions(MaxBacklog) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var subscription = feed.Subscribe(collection.Name, e =>
        {
            if ((only is null || e.Action == only) && !events.Writer.TryWrite(e))
            {
                events.Writer.TryComplete(new SlowSubscriberException());
            }
        });
        var stop = new CancellationTokenSource();
        _ = Task.Run(() => PumpAsync(events.Reader, observer, stop.Token));
        return new Stopper(() =>
        {
            subscription.Dispose();
            events.Writer.TryComplete();
            stop.Cancel();
        });
    }

    private async Task PumpAsync(ChannelReader<ItemEvent> events, IObserver<object?> observer, CancellationToken ct)
    {
        try
        {
            await foreach (var e in events.ReadAllAsync(ct))
            {
                var key = ObjectTypes.OutputValue(collection.PrimaryKey, e.Key)?.ToString() ?? "";
                if (e.Action == "delete")
                {
                    observer.OnNext(new MutatedEvent(key, e.Action, null));
                    continue;
                }

                var who = user.Accountability;
                var batch = e.Batch ?? new ChangeBatch([e]);
                // Lazy: concurrent subscribers may each offer a value, only the one the cache keeps is read.
                var read = await feed.Reads.GetOrAdd(
                    new BatchReadKey(batch, collection.Name, who.Access, shape), _ => new Lazy<Task<BatchRead>>(() => ReadAsync(batch, who))).Value.WaitAsync(ct);
                if (!read.Items.TryGetValue(e.Key, out var item))
                {
                    continue;
                }

                observer.OnNext(new MutatedEvent(key, e.Action, item) { Read = read.Context, Sequence = e.Sequence, Rendered = read.Rendered });
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            observer.OnError(ex);
        }
    }

    /// <summary>
    /// The batch's items of the collection as this permission set reads them now, with the selection's relations loaded
    /// into a read state of their own (fresh: nothing cached before the write); not cancelled by one subscriber leaving.
    /// </summary>
    private async Task<BatchRead> ReadAsync(ChangeBatch batch, Auth.Accountability who)
    {
        var context = new ReadContext(who);
        var selection = plan();
        var args = selection?.Shape(QueryArgs.None) ?? QueryArgs.None;
        var rows = new List<object>();
        foreach (var keys in batch.LiveKeys(collection.Name).Chunk(BatchLoader<object, object>.DefaultMaxBatchSize))
        {
            rows.AddRange(await reader.ReadWhereInAsync(collection, collection.PrimaryKey, keys, args, null, who.Access, CancellationToken.None));
        }

        RelationLoaders.Prime(context, reader, args, rows);
        if (selection is not null)
        {
            await ItemTreeLoader.LoadAsync(selection, rows, context, reader, CancellationToken.None);
        }

        var items = new Dictionary<object, object>(rows.Count);
        foreach (var row in rows)
        {
            items[collection.PrimaryKey.Getter(row)!] = row;
        }

        return new BatchRead(items, context);
    }

    /// <summary>The subscriber's backlog reached <see cref="MaxBacklog"/> events.</summary>
    internal sealed class SlowSubscriberException() : Exception($"More than {MaxBacklog} events waited for this subscriber");

    private sealed class Stopper(Action stop) : IDisposable
    {
        private int stopped;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref stopped, 1) == 0)
            {
                stop();
            }
        }
    }
}
