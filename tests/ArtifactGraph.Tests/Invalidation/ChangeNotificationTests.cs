using System.Collections.Concurrent;
using System.Net;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Invalidation;
using ArtifactGraph.Server.Startup;
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
    public async Task AdminBootstrapAndImport_whatTheyWriteToAccessCollections_sendsChangeRecords()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        await db.ImportSeedAsync();
        var heard = new ConcurrentQueue<string>();
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        connection.Notification += (_, e) => heard.Enqueue(e.Payload);
        await connection.OpenAsync();
        await using (var listen = new NpgsqlCommand($"LISTEN {ChangeNotifications.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync();
        }

        // A new ADMIN_TOKEN goes on the existing administrator; the same one again changes nothing and says nothing.
        Assert.Equal(AdminBootstrapOutcome.TokenAssigned, await BootstrapAsync(db, "a-new-admin-token"));
        Assert.Equal(AdminBootstrapOutcome.AlreadyPresent, await BootstrapAsync(db, "a-new-admin-token"));
        await db.ImportAsync(SharedPaths.Fixture("editor-role.json"));

        // Notifications arrive in commit order: the bootstrap's update, then the import's creates, nothing in between.
        Assert.True(await Nodes.Until(TimeSpan.FromSeconds(5), async () =>
        {
            await connection.WaitAsync(100);
            return heard.Count >= 6;
        }));
        await connection.WaitAsync(200);
        var records = heard.Select(ChangeRecord.Parse).ToList();
        Assert.Equal(new ChangeRecord("directus_users", "update"), records[0]);
        Assert.Equal(
            ["directus_access", "directus_permissions", "directus_policies", "directus_roles", "directus_users"],
            records.Skip(1).Select(r => r!.Action == "create" && r.Keys is null ? r.Collection : $"{r.Collection} {r.Action}").Order());
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

    private static async Task<AdminBootstrapOutcome> BootstrapAsync(TestDatabase db, string token)
    {
        await using var context = db.CreateContext();
        return (await AdminBootstrapper.EnsureAdminAsync(context, token, db.Settings.AdminEmail, CancellationToken.None)).Outcome;
    }
}
