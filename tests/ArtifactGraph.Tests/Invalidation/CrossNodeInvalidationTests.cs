using System.Diagnostics;
using System.Net;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Invalidation;

/// <summary>
/// Several server processes over one PostgreSQL database: a change to who may do what, written through one node, is
/// honoured by the others within a second (their caches would otherwise answer for up to 5 seconds), and a listener
/// whose connection is killed connects again and drops every cache.
/// </summary>
public sealed class CrossNodeInvalidationTests
{
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(1);
    private const string ReadTasks = "{ tasks(limit: 1) { id } }";

    // The change must be written well within the 5 seconds the first read's cache entries last, or expiry alone could pass.
    private static readonly TimeSpan WriteWithin = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task TokenRevokedThroughNodeA_nodeBRefusesItWithinOneSecond()
    {
        await using var nodes = await Nodes.StartAsync(2);
        using var admin = Nodes.Client(nodes.Servers[0], ServerFixture.AdminToken);
        using var editor = Nodes.Client(nodes.Servers[1], Nodes.EditorToken);
        var cached = Stopwatch.StartNew();
        Assert.True(await ReadsTasksAsync(editor));

        var revoke = await Nodes.PostAsync(admin, "/graphql/system", $$"""mutation { update_users_item(id: "{{Nodes.EditorId}}", data: { token: null }) { id } }""");
        Assert.Equal(HttpStatusCode.OK, revoke.Status);
        Assert.Null(revoke.Body!["errors"]);
        Assert.True(cached.Elapsed < WriteWithin, $"inconclusive: the revocation took {cached.ElapsedMilliseconds} ms");

        var clock = Stopwatch.StartNew();
        Assert.True(await Nodes.Until(Target, async () => await RefusedAsync(editor)), $"node B still accepted the revoked token after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task PermissionDeletedThroughNodeA_nodeBStopsReadingWithinOneSecond()
    {
        await using var nodes = await Nodes.StartAsync(3);
        using var admin = Nodes.Client(nodes.Servers[0], ServerFixture.AdminToken);
        var editors = nodes.Servers.Skip(1).Select(s => Nodes.Client(s, Nodes.EditorToken)).ToList();
        var cached = Stopwatch.StartNew();
        foreach (var editor in editors)
        {
            Assert.True(await ReadsTasksAsync(editor));
        }

        var delete = await Nodes.PostAsync(admin, "/graphql/system", "mutation { delete_permissions_item(id: 1) { id } }");
        Assert.Equal(HttpStatusCode.OK, delete.Status);
        Assert.Null(delete.Body!["errors"]);
        Assert.True(cached.Elapsed < WriteWithin, $"inconclusive: the deletion took {cached.ElapsedMilliseconds} ms");

        var clock = Stopwatch.StartNew();
        foreach (var editor in editors)
        {
            Assert.True(await Nodes.Until(Target - clock.Elapsed, async () => !await ReadsTasksAsync(editor)), $"a node still let the editor read tasks after {clock.ElapsedMilliseconds} ms");
            editor.Dispose();
        }
    }

    [Fact]
    public async Task ListenerConnectionKilled_reconnectsAndDropsAllCaches()
    {
        await using var nodes = await Nodes.StartAsync(1);
        using var editor = Nodes.Client(nodes.Servers[0], Nodes.EditorToken);
        var listener = Assert.Single(await nodes.ListenerPidsAsync());
        var cached = Stopwatch.StartNew();
        Assert.True(await ReadsTasksAsync(editor));

        // Revoked behind the servers' back: no notification, so only dropping every cache on reconnecting can tell the node.
        await nodes.Database.ExecuteAsync($"UPDATE directus_users SET token = NULL WHERE id = '{Nodes.EditorId}'");
        Assert.True(await ReadsTasksAsync(editor), "the token's answer should still come from the cache");
        await nodes.Database.ExecuteAsync($"SELECT pg_terminate_backend({listener})");
        Assert.True(cached.Elapsed < WriteWithin, $"inconclusive: killing the listener took {cached.ElapsedMilliseconds} ms");

        var clock = Stopwatch.StartNew();
        Assert.True(await Nodes.Until(Target + Target / 2, async () => await RefusedAsync(editor)), $"the node still accepted the token {clock.ElapsedMilliseconds} ms after its listener was killed");
        var again = Assert.Single(await nodes.ListenerPidsAsync());
        Assert.NotEqual(listener, again);
        // The warning follows the reconnect (and the caches dropped) closely; its line reaches the output a moment later.
        Assert.True(
            await Nodes.Until(TimeSpan.FromSeconds(5), () => Task.FromResult(nodes.Servers[0].Output.Any(l => l.Contains("Listening for changes from other nodes again", StringComparison.Ordinal)))),
            string.Join('\n', nodes.Servers[0].Output));
    }

    private static async Task<bool> ReadsTasksAsync(HttpClient client)
    {
        var (status, body) = await Nodes.PostAsync(client, "/graphql", ReadTasks);
        return status == HttpStatusCode.OK && body?["data"]?["tasks"] is System.Text.Json.Nodes.JsonArray { Count: 1 };
    }

    private static async Task<bool> RefusedAsync(HttpClient client)
    {
        var (status, body) = await Nodes.PostAsync(client, "/graphql", ReadTasks);
        return status == HttpStatusCode.Unauthorized && body?["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>() == "INVALID_CREDENTIALS";
    }
}
