using System.Collections.Concurrent;

namespace ArtifactGraph.Server.Subscriptions;

/// <summary>A committed write of one item: its collection, the action (<c>create</c>, <c>update</c>, <c>delete</c>) and its key.</summary>
public sealed record ItemEvent(string Collection, string Action, object Key)
{
    /// <summary>This node's number for the event (set on publishing), in publishing order.</summary>
    public long Sequence { get; init; }

    /// <summary>
    /// The events published together with this one (one commit on SQLite, one change record on PostgreSQL; set on
    /// publishing): subscribers re-read them together, one statement per collection, permission set and selection.
    /// </summary>
    public ChangeBatch? Batch { get; init; }
}

/// <summary>The events of one <see cref="ChangeFeed.Publish(IEnumerable{ItemEvent})"/>, compared by reference.</summary>
public sealed class ChangeBatch(IReadOnlyList<ItemEvent> events)
{
    public IReadOnlyList<ItemEvent> Events { get; } = events;

    /// <summary>The keys of the batch's items of <paramref name="collection"/> that still exist (every event but a delete), each once, in order.</summary>
    public IReadOnlyList<object> LiveKeys(string collection)
    {
        var keys = new List<object>();
        var seen = new HashSet<object>();
        foreach (var e in Events)
        {
            if (e.Collection == collection && e.Action != "delete" && seen.Add(e.Key))
            {
                keys.Add(e.Key);
            }
        }

        return keys;
    }
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
    /// The items of each recent batch as each set of access rules (by reference: the same user or role, the same item
    /// filters) reads them for each selection: one read per batch, collection, permission set and selection, shared by
    /// all their subscribers (Directus reads once per subscriber and event). Entities read here are never written to. A read
    /// is held in a <see cref="Lazy{T}"/>: the cache disposes a value that loses a race to be added, and a task may not be
    /// disposed while it runs; the loser's read never starts.
    /// </summary>
    internal BitFaster.Caching.Lru.ConcurrentLru<BatchReadKey, Lazy<Task<BatchRead>>> Reads { get; } = new(1_000);

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
        if (Committed is null && subscribers.IsEmpty)
        {
            // Nobody listens (no data cache, no subscriber): the records are not even listed.
            return;
        }

        var committed = records as IReadOnlyList<Invalidation.ChangeRecord> ?? records.ToList();
        Committed?.Invoke(committed);
        if (subscribers.IsEmpty)
        {
            return;
        }

        Publish(committed.SelectMany(record => record.Keys is { } keys && model.TryGet(record.Collection, out var collection)
            ? keys.Select(k => Items.ItemKeys.Parse(collection, k)).OfType<object>().Select(key => new ItemEvent(collection.Name, record.Action, key))
            : []));
    }

    /// <summary>
    /// Every committed change record this node learns of (what <see cref="Publish(Directus.Model.DirectusModel, IEnumerable{Invalidation.ChangeRecord})"/>
    /// publishes, and a PostgreSQL writer's own records at once, see <see cref="CommittedHere"/>), for what this node keeps
    /// in memory about the data (the data cache); null when notifications may have been missed: anything may have changed.
    /// </summary>
    public event Action<IReadOnlyList<Invalidation.ChangeRecord>?>? Committed;

    /// <summary>
    /// A write committed on this node, on PostgreSQL: <see cref="Committed"/> hears it at once, before the notification
    /// comes back through the listener (which then publishes it to subscribers), so a read after the write sees it.
    /// </summary>
    public void CommittedHere(IEnumerable<Invalidation.ChangeRecord> records)
    {
        if (Committed is { } committed)
        {
            committed(records as IReadOnlyList<Invalidation.ChangeRecord> ?? records.ToList());
        }
    }

    /// <summary>The listener was not listening for a while: anything may have changed.</summary>
    public void Missed() => Committed?.Invoke(null);

    public void Publish(IEnumerable<ItemEvent> events)
    {
        if (subscribers.IsEmpty)
        {
            return;
        }

        var batch = new List<ItemEvent>();
        var shared = new ChangeBatch(batch);
        foreach (var published in events)
        {
            batch.Add(published with { Sequence = Interlocked.Increment(ref sequence), Batch = shared });
        }

        foreach (var item in batch)
        {
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
