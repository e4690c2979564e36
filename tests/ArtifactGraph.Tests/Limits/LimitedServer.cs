using System.Net.Http.Headers;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Limits;

/// <summary>
/// The built server as its own process, with the limit settings a test class needs, over a SQLite database holding the
/// reference seed and the editor of Fixtures/editor-role.json (a role that is not an administrator).
/// </summary>
public abstract class LimitedServer(IReadOnlyDictionary<string, string> environment) : IAsyncLifetime
{
    public const string AdminToken = SeededServer.AdminToken;
    public const string EditorToken = "editor-token";

    private TestDatabase? database;
    private ServerProcess? process;

    public HttpClient Client(string? token = AdminToken)
    {
        var client = new HttpClient { BaseAddress = new Uri(process?.BaseUrl ?? throw new InvalidOperationException("The server has not started.")) };
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
        await database.ImportAsync(SharedPaths.Fixture("editor-role.json"));
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
