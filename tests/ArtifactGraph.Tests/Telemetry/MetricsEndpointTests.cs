using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Telemetry;

/// <summary>Directus's <c>METRICS_ENABLED</c>: Prometheus metrics at <c>/metrics</c> for a <c>Metrics</c> token or an administrator.</summary>
public sealed class MetricsEndpointTests
{
    private const string ScrapeToken = "scrape-token";

    [Fact]
    public async Task Metrics_afterRequests_reportRequestsOperationsStatementsAndThePool()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        await db.ImportSeedAsync();
        await using var server = await StartAsync(db);
        using var admin = Client(server, "Bearer", ServerFixture.AdminToken);
        using (await admin.PostAsJsonAsync("/graphql", new { query = "query Versions { artifact_versions { id files { directus_files_id { id } } } }" }))
        using (await admin.PostAsJsonAsync("/graphql", new { query = "{ no_such_field }" }))
        {
        }

        using var scraper = Client(server, "Metrics", ScrapeToken);
        var text = await scraper.GetStringAsync("/metrics");

        Assert.Contains("http_server_request_duration_seconds_bucket{", text);
        Assert.Contains("http_route=\"/graphql\"", text);
        Assert.Matches("""artifactgraph_graphql_operations_total\{[^}]*code="none"[^}]*type="query"[^}]*\} 1""", text);
        Assert.Matches("""artifactgraph_graphql_operations_total\{[^}]*code="GRAPHQL_VALIDATION"[^}]*\} 1""", text);
        Assert.Matches("""artifactgraph_sql_statements_count\{[^}]*http_route="/graphql"[^}]*\} [1-9]""", text);
        Assert.Contains("db_client_connection", text);
    }

    [Theory]
    [InlineData(null, null, HttpStatusCode.Forbidden)]
    [InlineData("Metrics", "wrong-token", HttpStatusCode.Unauthorized)]
    [InlineData("Bearer", "editor-token", HttpStatusCode.Forbidden)]
    [InlineData("Bearer", ServerFixture.AdminToken, HttpStatusCode.OK)]
    [InlineData("Metrics", ScrapeToken, HttpStatusCode.OK)]
    public async Task Metrics_whoMayRead_aMetricsTokenOrAnAdministrator(string? scheme, string? token, HttpStatusCode expected)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        await db.ImportSeedAsync();
        await db.ImportAsync(SharedPaths.Fixture("editor-role.json"));
        await using var server = await StartAsync(db);
        using var client = Client(server, scheme, token);

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_notEnabled_routeNotFound()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        await db.ImportSeedAsync();
        await using var server = await ServerProcess.StartAsync(db);
        using var admin = Client(server, "Bearer", ServerFixture.AdminToken);

        using var response = await admin.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("ROUTE_NOT_FOUND", await response.Content.ReadAsStringAsync());
    }

    private static Task<ServerProcess> StartAsync(TestDatabase db)
        => ServerProcess.StartAsync(db, new Dictionary<string, string> { ["METRICS_ENABLED"] = "true", ["METRICS_TOKENS"] = $"other-token,{ScrapeToken}" });

    private static HttpClient Client(ServerProcess server, string? scheme, string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        if (scheme is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, token);
        }

        return client;
    }
}
