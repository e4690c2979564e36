using System.Net.Http.Headers;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;

namespace ArtifactGraph.Tests.Infrastructure;

/// <summary>
/// The built server as its own process over a SQLite database holding the reference seed, shared by the tests of the
/// "seeded server" collection. They run one after another; a test that writes creates its own rows.
/// </summary>
public sealed class SeededServer : IAsyncLifetime
{
    public const string AdminToken = "oracle-admin-token";

    private TestDatabase? database;
    private ServerProcess? process;

    public string BaseUrl => process?.BaseUrl ?? throw new InvalidOperationException("The server has not started.");

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
        process = await ServerProcess.StartAsync(database);
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

[CollectionDefinition(Name)]
public sealed class SeededServerCollection : ICollectionFixture<SeededServer>
{
    public const string Name = "seeded server";
}
