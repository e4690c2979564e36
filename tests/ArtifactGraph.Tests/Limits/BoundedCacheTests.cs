using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.GraphQL;

namespace ArtifactGraph.Tests.Limits;

/// <summary>
/// The token and document caches under a flood of one-off keys: they stay within their bounds, and what clients keep
/// sending stays cached. Runs alone, so that the managed memory it measures is its own.
/// </summary>
[Collection(Name)]
public sealed class BoundedCacheTests
{
    public const string Name = "bounded caches";

    /// <summary>What both caches may hold at most (10,000 + 10,000 token entries, 500 small documents), generously.</summary>
    private const long MemoryBound = 32L * 1024 * 1024;

    [Fact]
    public void Flood_of_100000_unknown_tokens_and_10000_documents_keeps_the_hot_ones_within_the_memory_bound()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var tokens = new TokenCache();
        var documents = new DocumentCache();
        var now = DateTimeOffset.UtcNow;
        var hot = new Accountability(Guid.NewGuid(), Guid.NewGuid(), false);
        tokens.Add("hot-token", hot, now, version: 0);
        documents.GetOrParse("{ hot }", () => GraphQLParser.Parser.Parse("{ hot }"));

        for (var i = 0; i < 100_000; i++)
        {
            var bogus = $"bogus-token-{i}";
            Assert.False(tokens.TryGet(bogus, now, 0, out _));
            tokens.Add(bogus, null, now, 0);
            Assert.True(tokens.TryGet("hot-token", now, 0, out var who) && who == hot);
            if (i % 10 == 0)
            {
                var text = $"{{ one_off_{i} }}";
                documents.GetOrParse(text, () => GraphQLParser.Parser.Parse(text));
                documents.GetOrParse("{ hot }", () => throw new InvalidOperationException("the hot document was parsed again"));
            }
        }

        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.Equal(100_000, tokens.KnownHits);
        Assert.Equal(1, tokens.KnownCount);
        Assert.InRange(tokens.UnknownCount, 1, TokenCache.UnknownCapacity);
        Assert.Equal(10_000, documents.Hits);
        Assert.InRange(documents.Count, 1, DocumentCache.Capacity);
        Assert.True(grown < MemoryBound, $"the caches hold {grown:N0} bytes, more than {MemoryBound:N0}");
        GC.KeepAlive(tokens);
        GC.KeepAlive(documents);
    }

    [Fact]
    public void Unknown_token_is_answered_from_memory_until_a_user_gets_it()
    {
        var tokens = new TokenCache();
        var now = DateTimeOffset.UtcNow;
        tokens.Add("new-token", null, now, version: 0);

        Assert.True(tokens.TryGet("new-token", now, 0, out var none) && none is null);
        Assert.False(tokens.TryGet("new-token", now + TokenCache.CacheFor, 0, out _));
        Assert.False(tokens.TryGet("new-token", now, 1, out _));

        var user = new Accountability(Guid.NewGuid(), null, false);
        tokens.Add("new-token", user, now, version: 1);
        Assert.True(tokens.TryGet("new-token", now, 1, out var who) && who == user);
        Assert.Equal(0, tokens.UnknownCount);
        Assert.Equal(user.UserId, tokens.KnownUser("new-token"));
        Assert.Equal(user.UserId, tokens.KnownUser("new-token"));
    }
}

[CollectionDefinition(BoundedCacheTests.Name, DisableParallelization = true)]
public sealed class BoundedCacheCollection;
