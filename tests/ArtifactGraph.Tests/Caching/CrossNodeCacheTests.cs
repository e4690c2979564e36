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

    private static (string?, string) Shape(ResponseCacheTests.Answer answer) => (answer.Status, answer.Body);
}
