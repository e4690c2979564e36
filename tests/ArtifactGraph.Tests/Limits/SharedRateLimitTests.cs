using System.Net;
using System.Net.Http.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Limits;

/// <summary>
/// <c>RATE_LIMITER_STORE=redis</c>: three server processes over one PostgreSQL database and one real Redis share one
/// budget per caller; with the memory store each node counts on its own; with Redis away each node falls back to its own
/// count, and says so once.
/// </summary>
public sealed class SharedRateLimitTests
{
    public const string RedisVariable = "AG_TEST_REDIS";

    [Fact]
    public async Task ThreeNodes_redisStore_thirtyPointsHoldAcrossThem()
    {
        var statuses = await RoundRobinAsync(nodes: 3, requests: 40, Limits("redis", RedisUrl(database: 1)));

        Assert.Equal(30, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.All(statuses.Skip(30), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
    }

    [Fact]
    public async Task ThreeNodes_memoryStore_eachNodeCountsOnItsOwn()
    {
        var statuses = await RoundRobinAsync(nodes: 3, requests: 40, Limits("memory", null));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task RedisUnreachable_nodeCountsOnItsOwnAndWarnsOnce()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        var environment = Limits("redis", "redis://127.0.0.1:1/0");
        environment["RATE_LIMITER_POINTS"] = "2";
        await using var server = await ServerProcess.StartAsync(db, environment);

        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await http.PostAsJsonAsync("/graphql", new { query = "{ __typename }" });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Single(server.Output, l => l.Contains("Redis cannot be reached", StringComparison.Ordinal));
    }

    /// <summary>Anonymous requests (one caller: the loopback address) sent in turn to each of <paramref name="nodes"/> servers.</summary>
    private static async Task<List<HttpStatusCode>> RoundRobinAsync(int nodes, int requests, Dictionary<string, string> environment)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        var servers = new List<ServerProcess>();
        try
        {
            for (var node = 0; node < nodes; node++)
            {
                servers.Add(await ServerProcess.StartAsync(db, environment));
            }

            var clients = servers.Select(s => new HttpClient { BaseAddress = new Uri(s.BaseUrl) }).ToList();
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < requests; i++)
            {
                using var response = await clients[i % nodes].PostAsJsonAsync("/graphql", new { query = "{ __typename }" });
                statuses.Add(response.StatusCode);
            }

            clients.ForEach(c => c.Dispose());
            return statuses;
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static Dictionary<string, string> Limits(string store, string? redis)
    {
        var environment = new Dictionary<string, string>
        {
            ["RATE_LIMITER_ENABLED"] = "true",
            ["RATE_LIMITER_POINTS"] = "30",
            ["RATE_LIMITER_DURATION"] = "120",
            ["RATE_LIMITER_STORE"] = store,
        };
        if (redis is not null)
        {
            environment["REDIS"] = redis;
        }

        return environment;
    }

    /// <summary>The test Redis (tests/run-tests.sh starts one), one database per test so that budgets never meet.</summary>
    internal static string RedisUrl(int database)
    {
        var address = Environment.GetEnvironmentVariable(RedisVariable);
        Assert.False(string.IsNullOrWhiteSpace(address), $"{RedisVariable} is not set: run tests/run-tests.sh, which starts a private redis-server (apt-get install redis-server)");
        return $"redis://{address}/{database}";
    }
}
