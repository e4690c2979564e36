using System.Net.Http.Headers;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;

namespace ArtifactGraph.Tests.Infrastructure;

/// <summary>
/// The built server as its own process over a SQLite database holding the reference seed (and more fixtures), with
/// extra environment variables, shared by the tests of a class or collection; dropped at the end.
/// </summary>
public abstract class ServerFixture(IReadOnlyDictionary<string, string>? environment = null, params string[] fixtures) : IAsyncLifetime
{
    public const string AdminToken = "oracle-admin-token";

    private TestDatabase? database;
    private ServerProcess? process;

    public string BaseUrl => process?.BaseUrl ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The server's <c>STORAGE_LOCAL_ROOT</c>.</summary>
    public string StorageRoot => database?.Settings.StorageLocalRoot ?? throw new InvalidOperationException("The server has not started.");

    public HttpClient Client(string? token = AdminToken)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        await database.ImportSeedAsync();
        foreach (var fixture in fixtures)
        {
            await database.ImportAsync(SharedPaths.Fixture(fixture));
        }

        process = await ServerProcess.StartAsync(database, environment);
    }

    public async Task DisposeAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }
}
