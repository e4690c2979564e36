using System.Diagnostics;
using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Subscriptions;

/// <summary>
/// GraphQL subscriptions over WebSocket (graphql-transport-ws) against the server process: events after each committed
/// write (GraphQL, REST, promotion), queries and mutations over the socket, authentication modes and the protocol's
/// close codes, and a revoked token closing the connection within a second.
/// </summary>
public sealed class WebSocketSubscriptionTests
{
    private const string Version = "bbbbbbbb-0000-4000-8000-000000000003";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static TheoryData<DatabaseClient> Databases => new() { DatabaseClient.Sqlite, DatabaseClient.Postgres };

    private static async Task<(TestDatabase Database, ServerProcess Server)> StartAsync(DatabaseClient client, string auth = "handshake")
    {
        var database = await TestDatabase.CreateAsync(client);
        await database.ImportSeedAsync();
        await database.ImportAsync(SharedPaths.Fixture("editor-role.json"));
        var server = await ServerProcess.StartAsync(database, new Dictionary<string, string>
        {
            ["WEBSOCKETS_ENABLED"] = "true",
            ["WEBSOCKETS_GRAPHQL_AUTH"] = auth,
            ["WEBSOCKETS_GRAPHQL_AUTH_TIMEOUT"] = "2",
        });
        return (database, server);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Committed_writes_are_delivered_as_Directus_shapes_them(DatabaseClient client)
    {
        var (database, server) = await StartAsync(client);
        await using var _ = database;
        await using var __ = server;
        await using var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl);
        await socket.InitAsync(ServerFixture.AdminToken);
        await socket.SubscribeAsync("versions", "subscription { artifact_versions_mutated { key event data { id status project_id { name } } } }");
        await socket.SubscribeAsync("deleted", "subscription { task_artifacts_mutated(event: delete) { key event data { id } } }");
        await Task.Delay(300);

        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ServerFixture.AdminToken);
        var update = await http.PostAsync("/graphql", Json($$"""{"query":"mutation { update_artifact_versions_item(id: \"{{Version}}\", data: { status: \"in_review\" }) { id } }"}"""));
        Assert.True(update.IsSuccessStatusCode);
        var next = await socket.ReceiveAsync(Wait);
        Assert.True(next?.GetProperty("type").GetString() == "next" && next?.GetProperty("id").GetString() == "versions", next?.ToString());
        Assert.True(next!.Value.GetProperty("payload").GetProperty("data").ValueKind == JsonValueKind.Object, next.ToString());
        var payload = next!.Value.GetProperty("payload").GetProperty("data").GetProperty("artifact_versions_mutated");
        Assert.Equal(Version, payload.GetProperty("key").GetString());
        Assert.Equal("update", payload.GetProperty("event").GetString());
        Assert.Equal("in_review", payload.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("Apollo", payload.GetProperty("data").GetProperty("project_id").GetProperty("name").GetString());

        // A write that fails (validation on the second item) is rolled back and tells nobody.
        var failed = await http.PatchAsync("/items/artifact_versions", Json($$"""[{"id":"{{Version}}","status":"draft"},{"id":"{{Version}}","no_such_field":1}]"""));
        Assert.Equal(400, (int)failed.StatusCode);

        // REST delete: the delete subscription hears it with data null; the version subscription hears nothing of it.
        var delete = await http.DeleteAsync("/items/task_artifacts/1");
        Assert.Equal(204, (int)delete.StatusCode);
        next = await socket.ReceiveAsync(Wait);
        Assert.Equal("deleted", next?.GetProperty("id").GetString());
        payload = next!.Value.GetProperty("payload").GetProperty("data").GetProperty("task_artifacts_mutated");
        Assert.Equal(("1", "delete", JsonValueKind.Null), (payload.GetProperty("key").GetString(), payload.GetProperty("event").GetString(), payload.GetProperty("data").ValueKind));

        // A promotion: the promoted version's update (and any superseded version's).
        var promote = await http.PostAsync("/graphql", Json($$"""{"query":"mutation { promoteArtifact(id: \"{{Version}}\") { replayed } }"}"""));
        Assert.True(promote.IsSuccessStatusCode, await promote.Content.ReadAsStringAsync());
        var statuses = new List<(string?, string?)>();
        for (var i = 0; i < 2; i++)
        {
            next = await socket.ReceiveAsync(Wait);
            var e = next!.Value.GetProperty("payload").GetProperty("data").GetProperty("artifact_versions_mutated");
            statuses.Add((e.GetProperty("key").GetString(), e.GetProperty("data").GetProperty("status").GetString()));
        }

        Assert.Contains((Version, "approved"), statuses);
        Assert.Contains(("bbbbbbbb-0000-4000-8000-000000000002", "superseded"), statuses);

        // complete ends a subscription: later writes send nothing for it.
        await socket.SendAsync(new { id = "versions", type = "complete" });
        await socket.SendAsync(new { id = "q", type = "subscribe", payload = new { query = "{ projects(sort: [\"name\"]) { name } }" } });
        next = await socket.ReceiveAsync(Wait);
        Assert.Equal(("q", "next"), (next?.GetProperty("id").GetString(), next?.GetProperty("type").GetString()));
        Assert.Equal("Apollo", next!.Value.GetProperty("payload").GetProperty("data").GetProperty("projects")[0].GetProperty("name").GetString());
        next = await socket.ReceiveAsync(Wait);
        Assert.Equal(("q", "complete"), (next?.GetProperty("id").GetString(), next?.GetProperty("type").GetString()));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Subscribers_see_only_what_they_may_read(DatabaseClient client)
    {
        var (database, server) = await StartAsync(client);
        await using var _ = database;
        await using var __ = server;
        await using var editor = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl);
        await editor.InitAsync("editor-token");
        await editor.SubscribeAsync("v", "subscription { artifact_versions_mutated { key data { id status } } }");
        await Task.Delay(300);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ServerFixture.AdminToken);

        // Borealis's version is not the editor's to read: no event. Then Apollo's: an event.
        await http.PatchAsync("/items/artifact_versions/bbbbbbbb-0000-4000-8000-000000000010", Json("""{"status":"in_review"}"""));
        await http.PatchAsync($"/items/artifact_versions/{Version}", Json("""{"status":"in_review"}"""));
        var next = await editor.ReceiveAsync(Wait);
        Assert.Equal(Version, next!.Value.GetProperty("payload").GetProperty("data").GetProperty("artifact_versions_mutated").GetProperty("key").GetString());
    }

    [Fact]
    public async Task Protocol_errors_close_with_the_protocol_codes()
    {
        var (database, server) = await StartAsync(DatabaseClient.Sqlite);
        await using var _ = database;
        await using var __ = server;

        await using (var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl))
        {
            await socket.SubscribeAsync("1", "{ projects { id } }");
            Assert.Equal(4401, await socket.ClosedAsync(Wait)); // subscribe before connection_ack
        }

        await using (var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl))
        {
            await socket.InitAsync(ServerFixture.AdminToken);
            await socket.SendAsync(new { type = "connection_init" });
            Assert.Equal(4429, await socket.ClosedAsync(Wait));
        }

        await using (var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl))
        {
            await socket.InitAsync(ServerFixture.AdminToken);
            await socket.SubscribeAsync("same", "subscription { projects_mutated { key } }");
            await socket.SubscribeAsync("same", "subscription { projects_mutated { key } }");
            Assert.Equal(4409, await socket.ClosedAsync(Wait));
        }

        foreach (var bad in new[] { "not json", "{}", "[1]", """{"type":"nope"}""", """{"type":5}""" })
        {
            await using var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl);
            await socket.SendRawAsync(bad);
            Assert.Equal(4400, await socket.ClosedAsync(Wait));
        }

        await using (var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl))
        {
            await socket.SendAsync(new { type = "connection_init", payload = new { access_token = "no-such-token" } });
            Assert.Equal(4403, await socket.ClosedAsync(Wait)); // handshake: a bad token
        }

        await using (var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl))
        {
            await socket.SendAsync(new { type = "connection_init" });
            Assert.Equal(4403, await socket.ClosedAsync(Wait)); // handshake: no token at all
        }

        await using (var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl))
        {
            Assert.Equal(4408, await socket.ClosedAsync(Wait)); // no connection_init within WEBSOCKETS_GRAPHQL_AUTH_TIMEOUT
        }

        // Banana Cake Pop sends its HTTP headers as the payload: an Authorization entry (any case) with a Bearer token.
        await using (var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl))
        {
            await socket.SendAsync(new { type = "connection_init", payload = new Dictionary<string, string> { ["authorization"] = "Bearer " + ServerFixture.AdminToken } });
            Assert.Equal("connection_ack", (await socket.ReceiveAsync(Wait))?.GetProperty("type").GetString());
        }

        await using (var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl))
        {
            await socket.SendAsync(new { type = "connection_init", payload = new Dictionary<string, string> { ["Authorization"] = "Basic " + ServerFixture.AdminToken } });
            Assert.Equal(4403, await socket.ClosedAsync(Wait));
        }

        await using (var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl))
        {
            await socket.InitAsync(ServerFixture.AdminToken);
            for (var i = 0; i <= 100; i++)
            {
                await socket.SubscribeAsync($"s{i}", "subscription { projects_mutated { key } }");
            }

            Assert.Equal(1008, await socket.ClosedAsync(Wait)); // more operations than one connection may hold
        }

        await using (var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl))
        {
            await socket.SendRawAsync("{\"type\":\"ping\",\"payload\":\"" + new string('x', 1_100_000) + "\"}");
            Assert.Equal(1009, await socket.ClosedAsync(Wait)); // past MAX_PAYLOAD_SIZE
        }

        await using (var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl, subprotocol: "graphql-ws"))
        {
            Assert.Equal(4406, await socket.ClosedAsync(Wait));
        }

        // A token on the upgrade (Bearer header) authenticates the handshake; ping is answered with pong.
        await using (var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl, bearer: ServerFixture.AdminToken))
        {
            await socket.InitAsync(null);
            await socket.SendAsync(new { type = "ping", payload = new { n = 1 } });
            var pong = await socket.ReceiveAsync(Wait);
            Assert.Equal("pong", pong?.GetProperty("type").GetString());

            // A document that does not validate is an error message for its id; the connection stays open.
            await socket.SubscribeAsync("bad", "{ nope }");
            var error = await socket.ReceiveAsync(Wait);
            Assert.Equal(("bad", "error"), (error?.GetProperty("id").GetString(), error?.GetProperty("type").GetString()));
            Assert.Equal(JsonValueKind.Array, error!.Value.GetProperty("payload").ValueKind);
            await socket.SendAsync(new { type = "ping" });
            Assert.Equal("pong", (await socket.ReceiveAsync(Wait))?.GetProperty("type").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task A_revoked_token_closes_its_connection_within_a_second(DatabaseClient client)
    {
        var (database, server) = await StartAsync(client);
        await using var _ = database;
        await using var __ = server;
        await using var editor = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl);
        await editor.InitAsync("editor-token");
        await editor.SubscribeAsync("v", "subscription { artifact_versions_mutated { key } }");

        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ServerFixture.AdminToken);
        var revoke = await http.PostAsync("/graphql/system",
            Json("""{"query":"mutation { update_users_item(id: \"0a000000-0000-4000-8000-000000000002\", data: { token: null }) { id } }"}"""));
        Assert.True(revoke.IsSuccessStatusCode, await revoke.Content.ReadAsStringAsync());
        var clock = Stopwatch.StartNew();
        Assert.Equal(4403, await editor.ClosedAsync(Wait));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"closed after {clock.Elapsed}");
    }

    [Fact]
    public async Task Strict_mode_refuses_an_upgrade_without_a_token_and_disabled_sockets_are_plain_HTTP()
    {
        var (database, server) = await StartAsync(DatabaseClient.Sqlite, auth: "strict");
        await using var _ = database;
        await using var __ = server;
        var refused = await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => GraphQLWebSocketClient.ConnectAsync(server.BaseUrl));
        Assert.Contains("401", refused.Message);
        await using var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl, bearer: ServerFixture.AdminToken);
        await socket.InitAsync(null);

        await using var plain = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        await using var off = await ServerProcess.StartAsync(plain);
        await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => GraphQLWebSocketClient.ConnectAsync(off.BaseUrl));
    }

    [Fact]
    public async Task Public_mode_the_connection_limit_and_the_heartbeat()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        await database.ImportSeedAsync();
        await using var server = await ServerProcess.StartAsync(database, new Dictionary<string, string>
        {
            ["WEBSOCKETS_ENABLED"] = "true",
            ["WEBSOCKETS_GRAPHQL_AUTH"] = "public",
            ["WEBSOCKETS_GRAPHQL_CONN_LIMIT"] = "1",
            ["WEBSOCKETS_HEARTBEAT_PERIOD"] = "1",
        });

        // public: no token needed, and the public role reads nothing (a subscription to a collection does not validate).
        await using var socket = await GraphQLWebSocketClient.ConnectAsync(server.BaseUrl);
        await socket.InitAsync(null);
        await socket.SubscribeAsync("t", "{ __typename }");
        Assert.Equal("next", (await socket.ReceiveAsync(Wait))?.GetProperty("type").GetString());
        Assert.Equal("complete", (await socket.ReceiveAsync(Wait))?.GetProperty("type").GetString());
        await socket.SubscribeAsync("s", "subscription { tasks_mutated { key } }");
        Assert.Equal("error", (await socket.ReceiveAsync(Wait))?.GetProperty("type").GetString());

        // WEBSOCKETS_GRAPHQL_CONN_LIMIT=1: a second connection is refused before the upgrade.
        var refused = await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => GraphQLWebSocketClient.ConnectAsync(server.BaseUrl));
        Assert.Contains("503", refused.Message);

        // A client that answers no ping (this one reads them and stays silent) is closed after a heartbeat period.
        var clock = Stopwatch.StartNew();
        Assert.Equal(1000, await socket.ClosedAsync(Wait));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"closed after {clock.Elapsed}");
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}

/// <summary>A real client in CI: the npm <c>graphql-ws</c> library (<c>tests/graphql-ws/subscribe.mjs</c>) subscribes, sees an HTTP write, queries.</summary>
public sealed class GraphQLWsClientTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task The_graphql_ws_client_receives_the_event_of_a_write(DatabaseClient client)
    {
        await using var database = await TestDatabase.CreateAsync(client);
        await database.ImportSeedAsync();
        await using var server = await ServerProcess.StartAsync(database, new Dictionary<string, string> { ["WEBSOCKETS_ENABLED"] = "true" });
        var script = Path.Combine(SharedPaths.RepositoryRoot, "tests", "graphql-ws", "subscribe.mjs");
        var (exitCode, output) = await ReferenceCorpusTests.RunAsync("node",
            [script, "--base", server.BaseUrl, "--token", ServerFixture.AdminToken, "--version", "bbbbbbbb-0000-4000-8000-000000000003"]);
        Assert.True(exitCode == 0, output);
        Assert.Contains("graphql-ws client passed", output);
    }
}

/// <summary>Delivery across nodes: two server processes over one PostgreSQL database; a write through one reaches a subscriber of the other.</summary>
public sealed class CrossNodeSubscriptionTests
{
    [Fact]
    public async Task A_write_through_one_node_reaches_a_subscriber_of_another()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        await database.ImportSeedAsync();
        var env = new Dictionary<string, string> { ["WEBSOCKETS_ENABLED"] = "true" };
        await using var first = await ServerProcess.StartAsync(database, env);
        await using var second = await ServerProcess.StartAsync(database, env);
        await using var socket = await GraphQLWebSocketClient.ConnectAsync(first.BaseUrl);
        await socket.InitAsync(ServerFixture.AdminToken);
        await socket.SubscribeAsync("files", "subscription { artifact_files_mutated { key event data { sort directus_files_id { id } } } }");
        await Task.Delay(500);

        // A nested write through the other node: the junction row it creates is an event too.
        using var http = new HttpClient { BaseAddress = new Uri(second.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ServerFixture.AdminToken);
        var write = await http.PatchAsync("/items/artifact_versions/bbbbbbbb-0000-4000-8000-000000000003",
            new StringContent("""{"files":{"create":[{"directus_files_id":"cccccccc-0000-4000-8000-000000000004","sort":7}]}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(write.IsSuccessStatusCode, await write.Content.ReadAsStringAsync());
        var next = await socket.ReceiveAsync(TimeSpan.FromSeconds(10));
        var e = next!.Value.GetProperty("payload").GetProperty("data").GetProperty("artifact_files_mutated");
        Assert.Equal("create", e.GetProperty("event").GetString());
        Assert.Equal(7, e.GetProperty("data").GetProperty("sort").GetInt32());
        Assert.Equal("cccccccc-0000-4000-8000-000000000004", e.GetProperty("data").GetProperty("directus_files_id").GetProperty("id").GetString());
    }
}
