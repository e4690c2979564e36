using ArtifactGraph.Server.Loading;

namespace ArtifactGraph.Tests.Loading;

/// <summary>The batch loader behind every relation, on its own: batching, de-duplication, caching, splitting, priming.</summary>
public sealed class BatchLoaderTests
{
    private readonly List<IReadOnlyList<int>> fetches = [];

    [Fact]
    public async Task Keys_queued_before_the_first_result_is_awaited_are_fetched_once_and_de_duplicated()
    {
        var loader = Squares();
        var results = new[] { 3, 1, 3, 2 }.Select(k => loader.Load(k)).ToList();

        Assert.Empty(fetches);
        var values = await Task.WhenAll(results.Select(r => r.GetResultAsync()));
        Assert.Equal([9, 1, 9, 4], values);
        Assert.Equal([[3, 1, 2]], fetches);
    }

    [Fact]
    public async Task A_key_the_fetch_does_not_return_resolves_to_the_missing_value()
    {
        var loader = Squares();

        Assert.Equal(-1, await loader.Load(404).GetResultAsync());
    }

    [Fact]
    public async Task Keys_loaded_after_a_batch_was_fetched_go_to_a_new_batch_and_loaded_keys_are_cached()
    {
        var loader = Squares();
        Assert.Equal(4, await loader.Load(2).GetResultAsync());

        var again = loader.Load(2);
        var next = loader.Load(5);

        Assert.Equal((4, 25), (await again.GetResultAsync(), await next.GetResultAsync()));
        Assert.Equal([[2], [5]], fetches);
    }

    [Fact]
    public async Task Batches_are_split_at_the_maximum_size()
    {
        var loader = Squares(maxBatchSize: 2);
        var results = Enumerable.Range(1, 5).Select(k => loader.Load(k)).ToList();

        var values = await Task.WhenAll(results.Select(r => r.GetResultAsync()));
        Assert.Equal([1, 4, 9, 16, 25], values);
        Assert.Equal([[1, 2], [3, 4], [5]], fetches);
    }

    [Fact]
    public async Task A_failed_fetch_fails_every_key_of_its_batch()
    {
        var loader = new BatchLoader<int, int>((_, _) => throw new InvalidOperationException("database down"), missing: 0);
        var first = loader.Load(1);
        var second = loader.Load(2);

        await Assert.ThrowsAsync<InvalidOperationException>(() => first.GetResultAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.GetResultAsync());
    }

    [Fact]
    public async Task A_primed_key_answers_without_a_fetch_and_priming_never_replaces_a_queued_key()
    {
        var loader = Squares();
        loader.Prime(7, 700);
        var queued = loader.Load(8);
        loader.Prime(8, 800);

        Assert.True(loader.TryGetLoaded(7, out var primed));
        Assert.Equal(700, primed);
        Assert.False(loader.TryGetLoaded(8, out _));
        Assert.Equal(700, await loader.Load(7).GetResultAsync());
        Assert.Equal(64, await queued.GetResultAsync());
        Assert.Equal([[8]], fetches);
    }

    [Fact]
    public async Task Loading_a_list_at_once_gives_what_loading_each_key_gives_with_the_same_fetches()
    {
        var loader = Squares(maxBatchSize: 3);
        loader.Prime(7, 700);
        var queued = loader.Load(2);

        var values = await loader.LoadAllAsync([7, 2, 5, 2, 404, 6, 8], CancellationToken.None);

        Assert.Equal([700, 4, 25, 4, -1, 36, 64], values);
        // 2 was queued first; 5 and 404 joined its batch, which was then full; 6 and 8 went to a new one. 7 was primed.
        Assert.Equal([[2, 5, 404], [6, 8]], fetches);
        Assert.Equal(4, await queued.GetResultAsync());
        Assert.Equal(36, await loader.Load(6).GetResultAsync());
        Assert.Equal(new[] { 700, 36, 25 }, await loader.LoadAllAsync([7, 6, 5], CancellationToken.None));
        Assert.Equal(2, fetches.Count);
    }

    [Fact]
    public async Task A_failed_fetch_fails_a_list_load_that_waits_for_it()
    {
        var loader = new BatchLoader<int, int>((_, _) => throw new InvalidOperationException("database down"), missing: 0);

        await Assert.ThrowsAsync<InvalidOperationException>(() => loader.LoadAllAsync([1, 2], CancellationToken.None));
    }

    private BatchLoader<int, int> Squares(int maxBatchSize = BatchLoader<int, int>.DefaultMaxBatchSize) => new(
        (keys, _) =>
        {
            fetches.Add([.. keys]);
            return Task.FromResult<IReadOnlyDictionary<int, int>>(keys.Where(k => k != 404).ToDictionary(k => k, k => k * k));
        },
        missing: -1,
        maxBatchSize);
}
