using System.Threading.Channels;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Directus.Schema;
using ArtifactGraph.Server.GraphQL;

namespace ArtifactGraph.Server.Subscriptions;

/// <summary>What a <c>&lt;collection&gt;_mutated</c> subscription answers per event: the key, the event, the item (null for a delete).</summary>
public sealed record MutatedEvent(string Key, string Event, object? Data);

/// <summary>
/// The source stream of one <c>&lt;collection&gt;_mutated</c> subscription: the collection's events from the
/// <see cref="ChangeFeed"/>, in order, each item read again with the subscriber's own permissions (an item the
/// subscriber may not read is not reported, as Directus does), through a fresh set of batch loaders per event.
/// </summary>
internal sealed class MutatedEventStream(ChangeFeed feed, CollectionModel collection, string? only, GraphQLUserContext user, ItemReader reader)
    : IObservable<object?>
{
    /// <summary>How many events may wait for one subscriber before it is ended as too slow.</summary>
    public const int MaxBacklog = 10_000;

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

                var access = user.Accountability.Access;
                var item = await feed.Reads.GetOrAdd((e.Sequence, access), _ => new Lazy<Task<object?>>(() => ReadAsync(e.Key, access))).Value.WaitAsync(ct);
                if (item is null)
                {
                    continue;
                }

                // What the loaders cached for the previous event may have changed since.
                user.Loaders.Clear();
                observer.OnNext(new MutatedEvent(key, e.Action, item));
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

    /// <summary>The item as this permission set reads it now (null: it may not, or it is gone); not cancelled by one subscriber leaving.</summary>
    private async Task<object?> ReadAsync(object key, Access.AccessRules access)
    {
        var rows = await reader.ReadWhereInAsync(collection, collection.PrimaryKey, [key], QueryArgs.None, null, access, CancellationToken.None);
        return rows.Count > 0 ? rows[0] : null;
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
