using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;

namespace ArtifactGraph.Tests.Infrastructure;

/// <summary>
/// The built server as its own process over a database of either kind holding the reference seed (and more fixtures),
/// owned by one test: <c>await using var live = await LiveServer.StartAsync(client);</c>.
/// </summary>
public sealed class LiveServer : IAsyncDisposable
{
    private LiveServer(TestDatabase database, ServerProcess process)
    {
        Database = database;
        Process = process;
    }

    public TestDatabase Database { get; }

    public ServerProcess Process { get; }

    public static Task<LiveServer> StartAsync(DatabaseClient client, params string[] fixtures)
        => StartAsync(client, new Dictionary<string, string>(), fixtures);

    /// <param name="environment">More settings for the server's environment variables.</param>
    public static async Task<LiveServer> StartAsync(DatabaseClient client, IReadOnlyDictionary<string, string> environment, params string[] fixtures)
    {
        var database = await TestDatabase.CreateAsync(client);
        await database.ImportSeedAsync();
        foreach (var fixture in fixtures)
        {
            await database.ImportAsync(SharedPaths.Fixture(fixture));
        }

        return new LiveServer(database, await ServerProcess.StartAsync(database, environment));
    }

    public HttpClient Client(string? token = ServerFixture.AdminToken)
    {
        var client = new HttpClient { BaseAddress = new Uri(Process.BaseUrl) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Sends <paramref name="json"/> exactly as written (repeated keys, odd numbers) and parses the answer.</summary>
    public async Task<(int Status, JsonElement Body)> SendJsonAsync(HttpMethod method, string path, string json, string? token = ServerFixture.AdminToken)
    {
        using var client = Client(token);
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        await Database.DisposeAsync();
    }
}
