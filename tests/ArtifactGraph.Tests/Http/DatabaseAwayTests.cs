using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Http;

/// <summary>
/// The real server while its PostgreSQL is away: 503 <c>SERVICE_UNAVAILABLE</c> with <c>Retry-After</c> (after the reads'
/// retries), <c>/server/health</c> 503 <c>{"status":"error"}</c>, and normal answers once the database is back.
/// </summary>
public sealed class DatabaseAwayTests
{
    private const string Projects = """{"query":"{ projects { id } }"}""";

    [Fact]
    public async Task A_database_that_is_away_is_503_with_Retry_After_and_the_server_serves_again_when_it_is_back()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        await database.ImportAsync(SharedPaths.Fixture("oracle-admin.json"));
        await using var role = await AwayRole.CreateAsync(database);
        await using var server = await ServerProcess.StartAsync(database, new Dictionary<string, string> { ["DB_CONNECTION_STRING"] = role.ConnectionString });
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, ServerFixture.AdminToken)).StatusCode);

        await role.GoAwayAsync();
        using var query = await PostAsync(http, ServerFixture.AdminToken);
        using var newDocument = await PostAsync(http, ServerFixture.AdminToken, """{"query":"{ tasks { id } }"}""");
        using var unknownToken = await PostAsync(http, "not-a-token");
        using var health = await http.GetAsync("/server/health");

        // A document read before takes the direct read path, a new one the engine; an unknown token fails in its lookup.
        foreach (var away in new[] { query, newDocument, unknownToken })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, away.StatusCode);
            Assert.Equal("5", away.Headers.GetValues("Retry-After").Single());
            Assert.Equal(
                """{"errors":[{"message":"Service \"database\" is unavailable. The database cannot be reached.","extensions":{"service":"database","reason":"The database cannot be reached","code":"SERVICE_UNAVAILABLE"}}]}""",
                await away.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("""{"status":"error"}""", await health.Content.ReadAsStringAsync());

        await role.ComeBackAsync();
        using var back = await PostAsync(http, ServerFixture.AdminToken);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal("""{"data":{"projects":[]}}""", await back.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/server/health")).StatusCode);
    }

    [Fact]
    public async Task A_mutation_whose_database_goes_away_answers_its_field_as_SERVICE_UNAVAILABLE()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        await database.ImportAsync(SharedPaths.Fixture("oracle-admin.json"));
        await using var role = await AwayRole.CreateAsync(database);
        await using var server = await ServerProcess.StartAsync(database, new Dictionary<string, string> { ["DB_CONNECTION_STRING"] = role.ConnectionString });
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        const string create = """{"query":"mutation { create_projects_item(data: { name: \"away\", context_version: 0 }) { id } }"}""";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, ServerFixture.AdminToken, create)).StatusCode);

        // The token and the permissions are cached now: the mutation reaches its resolver, whose write finds no database.
        await role.GoAwayAsync();
        using var away = await PostAsync(http, ServerFixture.AdminToken, create);

        var body = await away.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, away.StatusCode);
        Assert.Contains("\"code\":\"SERVICE_UNAVAILABLE\"", body);
        Assert.DoesNotContain("INTERNAL_SERVER_ERROR", body);
    }

    [Fact]
    public async Task Health_databaseAwayThenBack_errorAsHealthJsonThenOkWithinTenSeconds()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        await database.ImportAsync(SharedPaths.Fixture("oracle-admin.json"));
        await using var role = await AwayRole.CreateAsync(database);
        await using var server = await ServerProcess.StartAsync(database, new Dictionary<string, string> { ["DB_CONNECTION_STRING"] = role.ConnectionString });
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        Assert.Equal((HttpStatusCode.OK, """{"status":"ok"}"""), await HealthAsync(http));

        await role.GoAwayAsync();
        var asked = Stopwatch.StartNew();
        Assert.Equal((HttpStatusCode.ServiceUnavailable, """{"status":"error"}"""), await HealthAsync(http));
        Assert.True(asked.Elapsed < TimeSpan.FromSeconds(5), $"the health check took {asked.Elapsed} without its database");

        // Directus's promise for a load balancer: ok again soon after the database is back (here: at most 10 s).
        await role.ComeBackAsync();
        var back = Stopwatch.StartNew();
        var health = await HealthAsync(http);
        while (health.Status != HttpStatusCode.OK && back.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
            health = await HealthAsync(http);
        }

        Assert.Equal((HttpStatusCode.OK, """{"status":"ok"}"""), health);
    }

    /// <summary>The health endpoint's status and body, checked to be Directus's <c>application/health+json</c>, never cached.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> HealthAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/server/health");
        Assert.Equal("application/health+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string token, string body = Projects)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = TransportFactory.Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }
}
