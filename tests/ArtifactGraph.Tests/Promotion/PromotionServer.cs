using System.Net.Http.Headers;
using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.Http;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace ArtifactGraph.Tests.Promotion;

/// <summary>The real server (Program) on a test database, configured as in production through Directus's variables.</summary>
internal sealed class PromotionServer(TestDatabase database) : WebApplicationFactory<Program>
{
    public const string AdminToken = "promotion-test-admin-token";

    public TestDatabase Database { get; } = database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (Database.Client == DatabaseClient.Sqlite)
        {
            builder.UseSetting("DB_CLIENT", "sqlite3");
            builder.UseSetting("DB_FILENAME", new SqliteConnectionStringBuilder(Database.ConnectionString).DataSource);
        }
        else
        {
            builder.UseSetting("DB_CLIENT", "pg");
            builder.UseSetting("DB_CONNECTION_STRING", Database.ConnectionString);
        }

        builder.UseSetting("ADMIN_TOKEN", AdminToken);
        builder.UseSetting("STORAGE_LOCAL_ROOT", Database.Settings.StorageLocalRoot);
        builder.UseSetting("LOG_LEVEL", "warn");
    }

    /// <summary>A server on a fresh database holding the seed, started (schema built) by a first request.</summary>
    public static async Task<PromotionServer> StartAsync(DatabaseClient client)
    {
        var database = await TestDatabase.CreateAsync(client);
        await database.ImportSeedAsync();
        var server = new PromotionServer(database);
        await server.PromoteAsync(Guid.NewGuid().ToString());
        return server;
    }

    /// <summary>A new client with the administrator's token, for the caller to dispose; not for concurrent use (see <see cref="Promoter"/>).</summary>
    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    /// <summary>
    /// The administrator's client of <see cref="PromoteAsync"/>, one for all its requests: an HttpClient sends concurrent
    /// requests safely, while WebApplicationFactory keeps the clients it creates in a plain list, which concurrent
    /// <c>CreateClient</c> calls (a race of promotions) can corrupt; disposing the factory then failed on a null entry.
    /// </summary>
    private HttpClient Promoter
    {
        get
        {
            lock (promoterLock)
            {
                return promoter ??= Admin();
            }
        }
    }

    private readonly Lock promoterLock = new();
    private HttpClient? promoter;

    /// <summary>One promoteArtifact request; <paramref name="ifMatchHeader"/> is sent as the raw If-Match header.</summary>
    public async Task<PromotionOutcome> PromoteAsync(string id, int? ifMatch = null, string? ifMatchHeader = null)
    {
        var client = Promoter;
        var body = JsonSerializer.Serialize(new { query = Promotions.Mutation, variables = new { id, ifMatch } });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = TransportFactory.Json(body) };
        if (ifMatchHeader is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatchHeader);
        }

        using var response = await client.SendAsync(request);
        return PromotionOutcome.FromHttp(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Stops the server, then drops its database.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
