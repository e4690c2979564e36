using GraphQL.DataLoader;

namespace ArtifactGraph.Server.Loading;

/// <summary>
/// A per-request batch loader on GraphQL.NET's <see cref="IDataLoaderResult"/>: <see cref="Load"/> queues a key
/// and returns a pending result; the execution strategy awaits pending results only once a wave of fields has
/// run, so the first <c>GetResultAsync</c> fetches every key queued so far in one call. Keys are de-duplicated
/// and cached for the loader's life; batches are split at <see cref="MaxBatchSize"/>; a key the fetch does not
/// return resolves to <c>missing</c> (null for single values, an empty list for grouped ones).
/// </summary>
public sealed class BatchLoader<TKey, TValue>
    where TKey : notnull
{
    public const int DefaultMaxBatchSize = 1024;

    private readonly Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch;
    private readonly TValue missing;
    private readonly object gate = new();
    // Per key: its Loaded value, or the Batch that fetches it.
    private readonly Dictionary<TKey, object> cache = [];
    private Batch? open;

    public BatchLoader(
        Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch,
        TValue missing,
        int maxBatchSize = DefaultMaxBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        this.fetch = fetch;
        this.missing = missing;
        MaxBatchSize = maxBatchSize;
    }

    public int MaxBatchSize { get; }

    public IDataLoaderResult<TValue> Load(TKey key)
    {
        lock (gate)
        {
            return Slot(key) switch
            {
                Loaded loaded => loaded,
                var batch => new Pending((Batch)batch, key),
            };
        }
    }

    /// <summary>
    /// The values of <paramref name="keys"/>, in their order, as <see cref="Load"/> and awaiting each result would give
    /// them (the same batches, the same single fetch per batch), without allocating a pending result and a task per key.
    /// </summary>
    public async Task<TValue[]> LoadAllAsync(IReadOnlyList<TKey> keys, CancellationToken cancellationToken)
    {
        var slots = new object[keys.Count];
        lock (gate)
        {
            cache.EnsureCapacity(cache.Count + keys.Count);
            for (var i = 0; i < keys.Count; i++)
            {
                slots[i] = Slot(keys[i]);
            }
        }

        var values = new TValue[keys.Count];
        Batch? batch = null;
        IReadOnlyDictionary<TKey, TValue>? results = null;
        for (var i = 0; i < keys.Count; i++)
        {
            if (slots[i] is Loaded loaded)
            {
                values[i] = loaded.Value;
                continue;
            }

            if (!ReferenceEquals(slots[i], batch))
            {
                batch = (Batch)slots[i];
                results = await batch.Dispatch(cancellationToken).ConfigureAwait(false);
            }

            values[i] = results!.TryGetValue(keys[i], out var value) ? value : missing;
        }

        return values;
    }

    // The key's Loaded value or its Batch, queuing it in the open batch the first time. Call it holding the gate.
    private object Slot(TKey key)
    {
        if (cache.TryGetValue(key, out var slot))
        {
            return slot;
        }

        if (open is null || open.Keys.Count >= MaxBatchSize)
        {
            open = new Batch(this);
        }

        open.Keys.Add(key);
        cache.Add(key, open);
        return open;
    }

    /// <summary>
    /// Caches a value read by another statement (a join), unless the key is already loaded or queued: loading the
    /// key then answers at once, and no batch is fetched for it.
    /// </summary>
    public void Prime(TKey key, TValue value)
    {
        lock (gate)
        {
            cache.TryAdd(key, new Loaded(value));
        }
    }

    /// <summary>The value of a key that needs no fetch (primed, or fetched by an earlier batch), if there is one.</summary>
    public bool TryGetLoaded(TKey key, out TValue value)
    {
        lock (gate)
        {
            if (cache.TryGetValue(key, out var cached) && cached is Loaded loaded)
            {
                value = loaded.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    private sealed class Loaded(TValue value) : IDataLoaderResult<TValue>
    {
        public TValue Value { get; } = value;

        public Task<TValue> GetResultAsync(CancellationToken cancellationToken = default) => Task.FromResult(Value);

        Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => Task.FromResult<object?>(Value);
    }

    private sealed class Batch(BatchLoader<TKey, TValue> owner)
    {
        private Task<IReadOnlyDictionary<TKey, TValue>>? task;

        public List<TKey> Keys { get; } = [];

        public TValue Missing => owner.missing;

        public Task<IReadOnlyDictionary<TKey, TValue>> Dispatch(CancellationToken cancellationToken)
        {
            lock (owner.gate)
            {
                if (task is null)
                {
                    // Later keys must go to a new batch: this one's key list is now frozen.
                    if (ReferenceEquals(owner.open, this))
                    {
                        owner.open = null;
                    }

                    task = owner.fetch(Keys, cancellationToken);
                }

                return task;
            }
        }
    }

    private sealed class Pending(Batch batch, TKey key) : IDataLoaderResult<TValue>
    {
        public async Task<TValue> GetResultAsync(CancellationToken cancellationToken = default)
        {
            var results = await batch.Dispatch(cancellationToken).ConfigureAwait(false);
            return results.TryGetValue(key, out var value) ? value : batch.Missing;
        }

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken)
            => await GetResultAsync(cancellationToken).ConfigureAwait(false);
    }
}
