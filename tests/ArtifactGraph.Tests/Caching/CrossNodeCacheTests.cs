using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ArtifactGraph.Tests.Invalidation;

namespace ArtifactGraph.Tests.Caching;

/// <summary>
/// The data cache over several nodes of one PostgreSQL database, with <c>CACHE_AUTO_PURGE</c>: a write through node A
/// purges A's cache before its answer (a read right after it is fresh) and node B's within a second, through
/// PostgreSQL's notification; Directus shares one cache in Redis for that, here each node keeps its own.
/// </summary>
public sealed class CrossNodeCacheTests
{
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task WriteThroughNodeA_freshOnAAtOnce_andOnBWithinOneSecond()
    {
        await using var nodes = await Nodes.StartAsync(2, new Dictionary<string, string>
        {
            ["CACHE_ENABLED"] = "true", ["CACHE_AUTO_PURGE"] = "true", ["CACHE_STATUS_HEADER"] = "X-Cache-Status",
        });
        using var a = Nodes.Client(nodes.Servers[0], Infrastructure.ServerFixture.AdminToken);
        using var b = Nodes.Client(nodes.Servers[1], Infrastructure.ServerFixture.AdminToken);
        const string path = "/items/projects/11111111-1111-4111-8111-111111111111?fields=name";
        foreach (var node in new[] { a, b })
        {
            await ResponseCacheTests.GetAsync(node, path);
            Assert.Equal(("HIT", """{"data":{"name":"Apollo"}}"""), Shape(await ResponseCacheTests.GetAsync(node, path)));
        }

        using (var patch = await a.PatchAsJsonAsync("/items/projects/11111111-1111-4111-8111-111111111111", new { name = "Apollo 2" }))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        Assert.Equal(("MISS", """{"data":{"name":"Apollo 2"}}"""), Shape(await ResponseCacheTests.GetAsync(a, path)));
        var clock = Stopwatch.StartNew();
        Assert.True(
            await Nodes.Until(Target, async () => (await ResponseCacheTests.GetAsync(b, path)).Body.Contains("Apollo 2", StringComparison.Ordinal)),
            $"node B still answered the old name after {clock.ElapsedMilliseconds} ms");
    }

    /// <summary>
    /// <c>CACHE_STORE=redis</c>: one cache for every node. An answer node A kept is a hit on node B at once, and a write
    /// through A is seen by B's next read without waiting for a notification (the generation both read moved on).
    /// </summary>
    [Fact]
    public async Task RedisStore_oneCacheForEveryNode_writePurgesItForAllAtOnce()
    {
        await using var nodes = await Nodes.StartAsync(2, new Dictionary<string, string>
        {
            ["CACHE_ENABLED"] = "true", ["CACHE_AUTO_PURGE"] = "true", ["CACHE_STATUS_HEADER"] = "X-Cache-Status", ["CACHE_STORE"] = "redis",
            ["REDIS"] = Limits.SharedRateLimitTests.RedisUrl(database: 5), ["CACHE_NAMESPACE"] = "test-" + Guid.NewGuid().ToString("N"),
        });
        using var a = Nodes.Client(nodes.Servers[0], Infrastructure.ServerFixture.AdminToken);
        using var b = Nodes.Client(nodes.Servers[1], Infrastructure.ServerFixture.AdminToken);
        const string path = "/items/projects/22222222-2222-4222-8222-222222222222?fields=name";

        var onA = await ResponseCacheTests.GetAsync(a, path);
        var onB = await ResponseCacheTests.GetAsync(b, path);
        using (var patch = await a.PatchAsJsonAsync("/items/projects/22222222-2222-4222-8222-222222222222", new { name = "Borealis 2" }))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        var afterOnB = await ResponseCacheTests.GetAsync(b, path);

        Assert.Equal(("MISS", "HIT"), (onA.Status, onB.Status));
        Assert.Equal((onA.Body, onA.ETag), (onB.Body, onB.ETag));
        Assert.Equal(("MISS", """{"data":{"name":"Borealis 2"}}"""), Shape(afterOnB));

        // Every node also purges when the write's notification reaches it; once they have, B's answer is A's hit.
        Assert.True(await Nodes.Until(TimeSpan.FromSeconds(2), async () =>
        {
            await ResponseCacheTests.GetAsync(b, path);
            return (await ResponseCacheTests.GetAsync(a, path)) is { Status: "HIT", Body: """{"data":{"name":"Borealis 2"}}""" };
        }));
    }

    /// <summary>
    /// Redis away, purging on: every read is answered from the database (a miss) and the node says so once; a write does
    /// not wait for Redis (its purge is sent in the background and owed until it is), and the read after it is fresh. The
    /// bound on the write is the client's 1-second timeout that a purge sent inline would wait out, not a speed target.
    /// </summary>
    [Fact]
    public async Task RedisStore_redisAway_readsFromTheDatabase_writesDoNotWaitForIt()
    {
        await using var database = await Infrastructure.TestDatabase.CreateAsync(ArtifactGraph.Data.DatabaseClient.Sqlite);
        await database.ImportSeedAsync();
        await using var server = await GraphQL.ServerProcess.StartAsync(database, new Dictionary<string, string>
        {
            ["CACHE_ENABLED"] = "true", ["CACHE_AUTO_PURGE"] = "true", ["CACHE_STATUS_HEADER"] = "X-Cache-Status", ["CACHE_STORE"] = "redis",
            ["REDIS"] = "redis://127.0.0.1:1/0",
        });
        using var client = Nodes.Client(server, Infrastructure.ServerFixture.AdminToken);

        var first = await ResponseCacheTests.GetAsync(client, "/items/projects?fields=name&sort=name");
        var second = await ResponseCacheTests.GetAsync(client, "/items/projects?fields=name&sort=name");
        Assert.Equal((HttpStatusCode.OK, "MISS", HttpStatusCode.OK, "MISS"), (first.Code, first.Status, second.Code, second.Status));
        Assert.Equal("""{"data":[{"name":"Apollo"},{"name":"Borealis"}]}""", second.Body);

        const string task = "aaaaaaaa-0000-4000-8000-000000000001";
        await ResponseCacheTests.PostAsync(client, "/graphql", $$"""mutation { update_tasks_item(id: "{{task}}", data: { title: "warm" }) { id } }""");
        var clock = Stopwatch.StartNew();
        var written = await ResponseCacheTests.PostAsync(client, "/graphql", $$"""mutation { update_tasks_item(id: "{{task}}", data: { title: "Renamed" }) { title } }""");
        var elapsed = clock.Elapsed;
        var read = await ResponseCacheTests.GetAsync(client, $"/items/tasks/{task}?fields=title");

        Assert.Equal("""{"data":{"update_tasks_item":{"title":"Renamed"}}}""", written.Body);
        Assert.True(elapsed < TimeSpan.FromMilliseconds(900), $"the write took {elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(("MISS", """{"data":{"title":"Renamed"}}"""), Shape(read));
        Assert.Single(server.Output, l => l.Contains("Redis cannot be reached", StringComparison.Ordinal));
    }

    private static (string?, string) Shape(ResponseCacheTests.Answer answer) => (answer.Status, answer.Body);
}
