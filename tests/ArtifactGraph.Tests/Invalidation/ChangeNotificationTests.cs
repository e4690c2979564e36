using System.Collections.Concurrent;
using System.Net;
using ArtifactGraph.Server.Invalidation;
using ArtifactGraph.Tests.Infrastructure;
using Npgsql;

namespace ArtifactGraph.Tests.Invalidation;

/// <summary>What a server sends on <see cref="ChangeNotifications.Channel"/>, heard by a LISTEN connection of the test's own.</summary>
public sealed class ChangeNotificationTests
{
    [Fact]
    public async Task Writes_onlyCommittedAccessWritesSendAChangeRecord()
    {
        await using var nodes = await Nodes.StartAsync(1);
        using var admin = Nodes.Client(nodes.Servers[0], ServerFixture.AdminToken);
        var heard = new ConcurrentQueue<string>();
        await using var connection = new NpgsqlConnection(nodes.Database.ConnectionString);
        connection.Notification += (_, e) => heard.Enqueue(e.Payload);
        await connection.OpenAsync();
        await using (var listen = new NpgsqlCommand($"LISTEN {ChangeNotifications.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync();
        }

        var rolledBack = await Nodes.PostAsync(admin, "/graphql/system", $$"""mutation { update_users_item(id: "{{Nodes.EditorId}}", data: { email: "admin@example.com" }) { id } }""");
        Assert.NotNull(rolledBack.Body!["errors"]);
        var task = await Nodes.PostAsync(admin, "/graphql", """mutation { update_tasks_item(id: "aaaaaaaa-0000-4000-8000-000000000001", data: { title: "Renamed" }) { id } }""");
        Assert.Null(task.Body!["errors"]);
        var committed = await Nodes.PostAsync(admin, "/graphql/system", $$"""mutation { update_users_item(id: "{{Nodes.EditorId}}", data: { first_name: "Ed" }) { id } }""");
        Assert.Equal(HttpStatusCode.OK, committed.Status);
        Assert.Null(committed.Body!["errors"]);

        // Notifications arrive in commit order: once the committed write's is in, nothing earlier can still come.
        Assert.True(await Nodes.Until(TimeSpan.FromSeconds(5), async () =>
        {
            await connection.WaitAsync(100);
            return !heard.IsEmpty;
        }));
        var payload = Assert.Single(heard);
        var record = ChangeRecord.Parse(payload)!;
        Assert.Equal(("directus_users", "update"), (record.Collection, record.Action));
        Assert.Equal([Nodes.EditorId], record.Keys!);
    }

    [Fact]
    public void ChangeRecord_tooManyKeysForNotify_becomesAllItems()
    {
        var keys = Enumerable.Range(0, 1_000).Select(i => Guid.NewGuid().ToString("D")).ToList();
        var few = new ChangeRecord("directus_users", "delete", keys.Take(3).ToList());

        Assert.Equal(few.Keys, ChangeRecord.Parse(few.ToPayload())!.Keys);
        var payload = new ChangeRecord("directus_users", "delete", keys).ToPayload();
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(payload) < 8000);
        Assert.Null(ChangeRecord.Parse(payload)!.Keys);
        Assert.Null(ChangeRecord.Parse("not json"));
    }
}
