using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Invalidation;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Invalidation;

/// <summary>
/// Server processes over one PostgreSQL database holding the seed and Fixtures/editor-role.json, returned once each
/// node's invalidation listener is listening and each node has built the schemas the tests use (through a second
/// editor, <see cref="WarmToken"/>), so that a test's first request with <see cref="EditorToken"/> is quick and its
/// cache entries are fresh for their whole 5 seconds.
/// </summary>
public sealed class Nodes : IAsyncDisposable
{
    public const string EditorToken = "editor-token";
    public const string EditorId = "0a000000-0000-4000-8000-000000000002";
    public const string WarmToken = "warm-editor-token";

    private readonly List<ServerProcess> servers = [];

    private Nodes(TestDatabase database) => Database = database;

    public TestDatabase Database { get; }

    public IReadOnlyList<ServerProcess> Servers => servers;

    /// <param name="environment">More settings for every node.</param>
    public static async Task<Nodes> StartAsync(int count, IReadOnlyDictionary<string, string>? environment = null)
    {
        var database = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        var nodes = new Nodes(database);
        try
        {
            await database.ImportSeedAsync();
            await database.ImportAsync(SharedPaths.Fixture("editor-role.json"));
            await database.ExecuteAsync($"INSERT INTO directus_users (id, email, status, role, token) VALUES ('0a000000-0000-4000-8000-0000000000ff', 'warm@example.com', 'active', '0b000000-0000-4000-8000-000000000002', '{WarmToken}')");
            for (var i = 0; i < count; i++)
            {
                nodes.servers.Add(await ServerProcess.StartAsync(database, environment));
            }

            foreach (var server in nodes.servers)
            {
                using var warm = Client(server, WarmToken);
                Assert.Null((await PostAsync(warm, "/graphql", "{ tasks(limit: 1) { id } }")).Body!["errors"]);
                using var admin = Client(server, ServerFixture.AdminToken);
                Assert.Null((await PostAsync(admin, "/graphql/system", "{ users(limit: 1) { id } }")).Body!["errors"]);
            }

            Assert.True(await Until(TimeSpan.FromSeconds(15), async () => (await nodes.ListenerPidsAsync()).Count == count), $"{count} listeners never listened");
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    /// <summary>The backends of the listeners on this database that have run their LISTEN.</summary>
    public async Task<List<string?>> ListenerPidsAsync() => await Database.QueryAsync(
        $"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = '{ChangeNotifications.ListenerApplicationName}' AND state = 'idle' AND query LIKE 'LISTEN%'");

    public static HttpClient Client(ServerProcess server, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(HttpClient client, string path, string query)
    {
        using var response = await client.PostAsJsonAsync(path, new { query });
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>Polls <paramref name="done"/> every 25 ms until it holds or <paramref name="within"/> has passed.</summary>
    public static async Task<bool> Until(TimeSpan within, Func<Task<bool>> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await done())
            {
                return true;
            }

            if (clock.Elapsed > within)
            {
                return false;
            }

            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}
