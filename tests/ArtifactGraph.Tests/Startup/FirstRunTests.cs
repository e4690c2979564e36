using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Cli;
using ArtifactGraph.Tests.Cli;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Startup;

/// <summary>A newcomer's first two commands: start the server on an empty database, load the demo, query with the printed token.</summary>
public sealed partial class FirstRunTests
{
    [Fact]
    public async Task Server_firstStartOnAnEmptyDatabase_printsATokenThatAnswersTheDemoQuery_andLaterStartsPrintNone()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite, migrate: false);

        string token;
        await using (var first = await ServerProcess.StartAsync(db))
        {
            var banner = await WaitForAsync(first, l => l.StartsWith("Set ADMIN_TOKEN", StringComparison.Ordinal));
            token = PrintedToken().Match(Assert.Single(banner, l => PrintedToken().IsMatch(l))).Groups[1].Value;
            Assert.Contains(banner, l => l == $"GraphQL IDE: {first.BaseUrl}/graphql  (in its HTTP Headers tab: Authorization = Bearer <the token>)");
            Assert.Contains(banner, l => l.Contains($"curl -H 'Authorization: Bearer {token}'", StringComparison.Ordinal));

            var demo = await DemoCommandTests.RunDemoAsync(db);
            Assert.Equal((0, ""), (demo.ExitCode, demo.Error));

            var answer = await QueryAsync(first.BaseUrl, token, DemoRunner.TryQuery);
            var tasks = answer.GetProperty("data").GetProperty("tasks");
            Assert.Equal(3, tasks.GetArrayLength());
            Assert.Equal(1, tasks[0].GetProperty("project_id").GetProperty("context_version").GetInt32());
            Assert.Equal(
                ["requirements-v2.md", "login-wireframe.png"],
                tasks[0].GetProperty("artifacts")[1].GetProperty("artifact_version_id").GetProperty("files").EnumerateArray()
                    .Select(f => f.GetProperty("directus_files_id").GetProperty("filename_download").GetString()));
        }

        await using var second = await ServerProcess.StartAsync(db);
        await QueryAsync(second.BaseUrl, token, "{ projects { id } }");
        Assert.DoesNotContain(second.Output, l => l.Contains("first run", StringComparison.OrdinalIgnoreCase) || PrintedToken().IsMatch(l));
        Assert.Equal(1, await db.CountAsync("directus_users"));
    }

    [Fact]
    public async Task Server_adminTokenSet_printsNoGeneratedToken()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite, migrate: false);

        await using var server = await ServerProcess.StartAsync(db, new Dictionary<string, string> { ["ADMIN_TOKEN"] = "chosen-token" });

        await QueryAsync(server.BaseUrl, "chosen-token", "{ projects { id } }");
        Assert.DoesNotContain(server.Output, l => PrintedToken().IsMatch(l));
    }

    /// <summary>The lines the server printed once <paramref name="last"/> appeared (the banner is written before it listens).</summary>
    private static async Task<List<string>> WaitForAsync(ServerProcess server, Func<string, bool> last)
    {
        for (var attempt = 0; attempt < 50 && !server.Output.Any(last); attempt++)
        {
            await Task.Delay(100);
        }

        return server.Output.ToList();
    }

    private static async Task<JsonElement> QueryAsync(string baseUrl, string token, string query)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.PostAsJsonAsync($"{baseUrl}/graphql", new { query });
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode && !answer.TryGetProperty("errors", out _), answer.ToString());
        return answer;
    }

    [GeneratedRegex("^    ([A-Za-z0-9_-]{43})$")]
    private static partial Regex PrintedToken();
}
