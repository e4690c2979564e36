using System.Net.Http.Headers;
using System.Net.Http.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Configuration;

/// <summary>The console log people read: one line per request at <c>info</c>, ASP.NET Core's detail at <c>debug</c>.</summary>
public sealed class RequestLogTests
{
    [Fact]
    public async Task Server_logLevelInfo_writesOneLinePerRequestWithTheOperation()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        await using var server = await StartAsync(db, "info", "Information");

        using var http = Client(server);
        await http.PostAsJsonAsync("/graphql", new { query = "query Named { projects { id } }" });
        await http.PostAsJsonAsync("/graphql", new { query = "mutation { create_projects_item(data: { name: \"x\", context_version: 0 }) { id } }" });
        using (var anonymous = new HttpClient { BaseAddress = new Uri(server.BaseUrl) })
        {
            await anonymous.GetAsync("/graphql?query=%7Bprojects%7Bid%7D%7D&access_token=log-test-token");
        }

        await http.GetAsync("/no/such/route");

        var lines = await RequestLinesAsync(server, 4);
        Assert.Matches(@"^info: ArtifactGraph\.Requests\[0\] POST /graphql 200 \d+\.\d ms query Named$", lines[0]);
        Assert.Matches(@"^info: ArtifactGraph\.Requests\[0\] POST /graphql 200 \d+\.\d ms mutation$", lines[1]);
        Assert.Matches(@"^info: ArtifactGraph\.Requests\[0\] GET /graphql 200 \d+\.\d ms query$", lines[2]);
        Assert.Matches(@"^info: ArtifactGraph\.Requests\[0\] GET /no/such/route 404 \d+\.\d ms$", lines[3]);
        Assert.DoesNotContain(server.Output, l => l.Contains("log-test-token", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Output, l => l.StartsWith("info: Microsoft.AspNetCore", StringComparison.Ordinal)
            || l.StartsWith("info: Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_logLevelDebug_keepsAspNetCoresRequestEntries()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        await using var server = await StartAsync(db, "debug", "Debug");

        using var http = Client(server);
        await http.PostAsJsonAsync("/graphql", new { query = "{ projects { id } }" });

        await RequestLinesAsync(server, 1);
        Assert.Contains(server.Output, l => l.StartsWith("info: Microsoft.AspNetCore.Hosting.Diagnostics[1] Request starting", StringComparison.Ordinal));
        Assert.Contains(server.Output, l => l.StartsWith("info: Microsoft.EntityFrameworkCore.Database.Command", StringComparison.Ordinal));
    }

    private static Task<ServerProcess> StartAsync(TestDatabase db, string logLevel, string aspNetCoreLevel)
        => ServerProcess.StartAsync(db, new Dictionary<string, string>
        {
            ["LOG_LEVEL"] = logLevel,
            ["Logging__LogLevel__Default"] = aspNetCoreLevel,
            ["ADMIN_TOKEN"] = "log-test-token",
        });

    private static HttpClient Client(ServerProcess server)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "log-test-token");
        return http;
    }

    /// <summary>The request lines after the start-up's health checks (<c>/server/ping</c>), once <paramref name="count"/> are there.</summary>
    private static async Task<List<string>> RequestLinesAsync(ServerProcess server, int count)
    {
        List<string> lines = [];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            lines = server.Output.Where(l => l.StartsWith("info: ArtifactGraph.Requests", StringComparison.Ordinal) && !l.Contains("/server/ping", StringComparison.Ordinal)).ToList();
            if (lines.Count >= count)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(count, lines.Count);
        return lines;
    }
}
