using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Auth;
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

    [Fact]
    public async Task Metrics_afterRequests_reportCacheHitsMissesAndEvictions()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        await db.ImportSeedAsync();
        await using var server = await StartAsync(db);
        using var admin = Client(server, "Bearer", ServerFixture.AdminToken);
        using var anonymous = Client(server, null, null);
        using var stranger = Client(server, "Bearer", "no-such-token");
        for (var i = 0; i < 3; i++)
        {
            using (await admin.PostAsJsonAsync("/graphql", new { query = "{ projects { id } }" }))
            using (await anonymous.PostAsJsonAsync("/graphql", new { query = "{ __typename }" }))
            {
            }
        }

        // An unknown token's answer is kept for 5 seconds; asked again after that, its expired entry is dropped.
        using (await stranger.PostAsJsonAsync("/graphql", new { query = "{ __typename }" }))
        {
        }

        await Task.Delay(TokenCache.CacheFor + TimeSpan.FromMilliseconds(500));
        using (await stranger.PostAsJsonAsync("/graphql", new { query = "{ __typename }" }))
        {
        }

        using var scraper = Client(server, "Metrics", ScrapeToken);
        var text = await scraper.GetStringAsync("/metrics");

        // Tokens: the administrator's missed once then hit twice; the unknown one missed twice, expired the second time.
        Assert.Equal((2, 3, 1), CacheCounters(text, "tokens"));

        // Documents: each of the two missed once, then hit on every later request.
        var documents = CacheCounters(text, "documents");
        Assert.Equal(2, documents.Misses);
        Assert.True(documents.Hits >= 4, $"document hits: {documents.Hits}");
        Assert.Equal(0, documents.Evictions);

        // Permissions and schemas: the public's looked up on each of its requests, built once; the administrator's built once.
        var rules = CacheCounters(text, "access_rules");
        Assert.True(rules is { Hits: >= 2, Misses: >= 2, Evictions: 0 }, $"access rules: {rules}");
        var schemas = CacheCounters(text, "schemas");
        Assert.True(schemas is { Hits: >= 4, Misses: 2, Evictions: 0 }, $"schemas: {schemas}");
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

    private static (long Hits, long Misses, long Evictions) CacheCounters(string metrics, string cache)
    {
        long Read(string counter)
        {
            var match = Regex.Match(metrics, $$"""^artifactgraph_cache_{{counter}}_total\{[^}]*cache="{{cache}}"[^}]*\} (\d+)""", RegexOptions.Multiline);
            Assert.True(match.Success, $"no artifactgraph_cache_{counter}_total of {cache} in:\n{metrics}");
            return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        return (Read("hits"), Read("misses"), Read("evictions"));
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
