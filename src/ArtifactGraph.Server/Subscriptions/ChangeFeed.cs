using System.Collections.Concurrent;

namespace ArtifactGraph.Server.Subscriptions;

/// <summary>A committed write of one item: its collection, the action (<c>create</c>, <c>update</c>, <c>delete</c>) and its key.</summary>
public sealed record ItemEvent(string Collection, string Action, object Key)
{
    /// <summary>This node's number for the event (set on publishing): subscribers share one read of the item per event and permission set.</summary>
    public long Sequence { get; init; }
}

/// <summary>
/// This node's stream of committed item writes, for GraphQL subscriptions. The write path publishes after its
/// transaction commits (a rolled-back write publishes nothing); each subscriber hears the events of one collection.
/// </summary>
public sealed class ChangeFeed
{
    private readonly ConcurrentDictionary<long, (string Collection, Action<ItemEvent> Handler)> subscribers = new();
    private long next;
    private long sequence;

    /// <summary>
    /// The item of each recent event as each set of access rules reads it (by reference: the same user or role, the same item filters): its subscribers share one read
    /// (Directus reads once per subscriber). Entities read here are never written to. The read is held in a
    /// <see cref="Lazy{T}"/>: the cache disposes a value that loses a race to be added, and a task may not be disposed while
    /// it runs (subscribers of one event arriving together failed with INTERNAL_SERVER_ERROR); the loser's read never starts.
    /// </summary>
    internal BitFaster.Caching.Lru.ConcurrentLru<(long Sequence, Access.AccessRules Access), Lazy<Task<object?>>> Reads { get; } = new(10_000);

    /// <summary>Hears every event of <paramref name="collection"/> until the returned handle is disposed.</summary>
    public IDisposable Subscribe(string collection, Action<ItemEvent> handler)
    {
        var id = Interlocked.Increment(ref next);
        subscribers[id] = (collection, handler);
        return new Unsubscriber(() => subscribers.TryRemove(id, out _));
    }

    public int SubscriberCount => subscribers.Count;

    /// <summary>
    /// The events of committed change records (keys as text, as <c>NOTIFY</c> carries them): the one way writes reach
    /// subscribers, from this node's listener on PostgreSQL and straight after the commit on SQLite.
    /// </summary>
    public void Publish(Directus.Model.DirectusModel model, IEnumerable<Invalidation.ChangeRecord> records)
    {
        if (subscribers.IsEmpty)
        {
            return;
        }

        Publish(records.SelectMany(record => record.Keys is { } keys && model.TryGet(record.Collection, out var collection)
            ? keys.Select(k => Items.ItemKeys.Parse(collection, k)).OfType<object>().Select(key => new ItemEvent(collection.Name, record.Action, key))
            : []));
    }

    public void Publish(IEnumerable<ItemEvent> events)
    {
        if (subscribers.IsEmpty)
        {
            return;
        }

        foreach (var published in events)
        {
            var item = published with { Sequence = Interlocked.Increment(ref sequence) };
            foreach (var (_, (collection, handler)) in subscribers)
            {
                if (collection == item.Collection)
                {
                    handler(item);
                }
            }
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                dispose();
            }
        }
    }
}
