using System.Text;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Caching;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Invalidation;
using ArtifactGraph.Server.Subscriptions;
using Microsoft.AspNetCore.Http;

namespace ArtifactGraph.Tests.Caching;

/// <summary>
/// The data cache's store, without a server: a read that began before a purge is not kept (so a write is never undone
/// by an answer read before it), the memory limit drops the least recently used answers, an answer past
/// CACHE_VALUE_MAX_SIZE is not kept, an expired one is not served, and committed records purge as configured.
/// </summary>
public sealed class ResponseCacheStoreTests
{
    private static readonly Accountability Admin = new(Guid.Parse("0a000000-0000-4000-8000-000000000001"), Guid.Parse("0b000000-0000-4000-8000-000000000001"), true);

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static (ResponseCache Cache, ChangeFeed Feed, Clock Clock) Create(CacheSettings? settings = null)
    {
        var feed = new ChangeFeed();
        var clock = new Clock();
        return (new ResponseCache(new ServerSettings { Cache = settings ?? new CacheSettings { Enabled = true } }, clock, feed), feed, clock);
    }

    /// <summary>Runs one request for <paramref name="key"/>: served from the cache (its body), or answered with <paramref name="body"/>.</summary>
    private static async Task<string?> RequestAsync(ResponseCache cache, string key, string body, Action? whileWriting = null)
    {
        var context = new DefaultHttpContext();
        var output = new MemoryStream();
        context.Response.Body = output;
        var (served, pending) = await cache.ServeOrBeginAsync(context, Admin, key);
        if (served)
        {
            return Encoding.UTF8.GetString(output.ToArray());
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body));
        whileWriting?.Invoke();
        await pending!.CompleteAsync(written: true);
        Assert.Same(output, context.Response.Body);
        Assert.Equal(body, Encoding.UTF8.GetString(output.ToArray()));
        return null;
    }

    [Fact]
    public async Task Kept_thenServed_untilExpired()
    {
        var (cache, _, clock) = Create();

        Assert.Null(await RequestAsync(cache, "k", "{\"a\":1}"));
        Assert.Equal("{\"a\":1}", await RequestAsync(cache, "k", "{\"a\":2}"));
        clock.Now += TimeSpan.FromMinutes(5);
        Assert.Null(await RequestAsync(cache, "k", "{\"a\":3}"));
        Assert.Equal("{\"a\":3}", await RequestAsync(cache, "k", "{\"a\":4}"));
        Assert.Equal(new ArtifactGraph.Server.Telemetry.CacheCounts(2, 2, 1), cache.Counts);
    }

    [Fact]
    public async Task PurgedWhileWriting_notKept()
    {
        var (cache, _, _) = Create();

        Assert.Null(await RequestAsync(cache, "k", "{\"old\":true}", whileWriting: cache.Purge));

        Assert.Equal(0, cache.Count);
        Assert.Null(await RequestAsync(cache, "k", "{\"new\":true}"));
        Assert.Equal("{\"new\":true}", await RequestAsync(cache, "k", "{}"));
    }

    [Fact]
    public async Task MemoryLimit_dropsLeastRecentlyUsed_valueMaxSize_notKept()
    {
        // Each entry weighs its body, its key twice and 128 bytes: 1,000 + 2 + 128 = 1,130 bytes; four fit in 4,600.
        var (cache, _, _) = Create(new CacheSettings { Enabled = true, MemoryLimit = 4_600, ValueMaxSize = 1_000 });
        var body = "\"" + new string('x', 998) + "\"";
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            await RequestAsync(cache, key, body);
        }

        Assert.NotNull(await RequestAsync(cache, "a", body));
        await RequestAsync(cache, "e", body);
        await RequestAsync(cache, "f", body + " ");

        Assert.Equal(4, cache.Count);
        Assert.Null(await RequestAsync(cache, "b", body));
        Assert.NotNull(await RequestAsync(cache, "a", body));
        Assert.Null(await RequestAsync(cache, "f", body + " "));
    }

    [Fact]
    public async Task CommittedRecords_purgeAsConfigured()
    {
        var (plain, plainFeed, _) = Create();
        var (purging, purgingFeed, _) = Create(new CacheSettings { Enabled = true, AutoPurge = true });
        foreach (var cache in new[] { plain, purging })
        {
            await RequestAsync(cache, "k", "{}");
        }

        plainFeed.CommittedHere([new ChangeRecord("tasks", "update", ["1"])]);
        purgingFeed.CommittedHere([new ChangeRecord("directus_activity", "create", ["1"])]);
        Assert.Equal((1, 1), (plain.Count, purging.Count));

        purgingFeed.CommittedHere([new ChangeRecord("tasks", "update", ["1"])]);
        plainFeed.CommittedHere([new ChangeRecord("directus_permissions", "update", ["1"])]);
        Assert.Equal((0, 0), (plain.Count, purging.Count));

        await RequestAsync(plain, "k", "{}");
        plainFeed.Missed();
        Assert.Equal(0, plain.Count);
    }
}
