using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Http;

/// <summary>
/// The database goes away and comes back while 8 clients read nested lists and create and promote versions against the
/// real server: no answer is a 500 or carries INTERNAL_SERVER_ERROR, every failure is SERVICE_UNAVAILABLE, reads answer
/// again within 10 s of the database's return, and the promotion invariants hold (one approved version per path, the
/// project's context_version moved by exactly its new approvals).
/// </summary>
public sealed class DatabaseFaultStormTests
{
    private const string Project = "11111111-1111-4111-8111-111111111111";
    private const string NestedRead = "query Storm { artifact_versions(limit: 20) { id status files { directus_files_id { id filename_download } } primary_file_id { id } } }";

    [Fact]
    public async Task Database_awayAndBack_underReadsAndPromotions_onlyServiceUnavailableAndInvariantsHold()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        await database.ImportSeedAsync();
        await using var role = await AwayRole.CreateAsync(database);
        await using var server = await ServerProcess.StartAsync(database, new Dictionary<string, string> { ["DB_CONNECTION_STRING"] = role.ConnectionString });
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServerFixture.AdminToken);

        // Drafts of four paths, promoted one after another by one client each.
        await database.ExecuteAsync($"""
            INSERT INTO artifact_versions (id, date_created, project_id, schema_key, version, status, content)
            SELECT gen_random_uuid(), now(), '{Project}', 'storm/' || p, v, 'draft', json_build_object('v', v)
            FROM generate_series(1, 4) AS p, generate_series(1, 2000) AS v
            """);
        var drafts = new List<IReadOnlyList<string?>>();
        for (var path = 1; path <= 4; path++)
        {
            drafts.Add(await database.QueryAsync($"SELECT id FROM artifact_versions WHERE schema_key = 'storm/{path}' ORDER BY version"));
        }

        var gap = await ContextVersionOverApprovalsAsync(database);
        var answers = new ConcurrentQueue<(string Kind, HttpStatusCode Status, string Body)>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8)
            .Select(i => i % 2 == 0 ? ReadLoopAsync(http, answers, stop.Token) : PromoteLoopAsync(http, drafts[i / 2], answers, stop.Token))
            .ToList();

        await Task.Delay(TimeSpan.FromSeconds(2));
        await role.GoAwayAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        await role.ComeBackAsync();
        var readsAgainAfter = await FirstGoodReadAsync(http);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.True(readsAgainAfter < TimeSpan.FromSeconds(10), $"reads answered again only {readsAgainAfter} after the database came back");
        Assert.Contains(answers, a => a.Status == HttpStatusCode.ServiceUnavailable || a.Body.Contains("SERVICE_UNAVAILABLE", StringComparison.Ordinal));
        Assert.Contains(answers, a => a.Kind == "promote" && a.Status == HttpStatusCode.OK && !a.Body.Contains("\"errors\"", StringComparison.Ordinal));
        var bad = answers.Where(a => a.Status >= HttpStatusCode.InternalServerError && a.Status != HttpStatusCode.ServiceUnavailable
            || a.Body.Contains("INTERNAL_SERVER_ERROR", StringComparison.Ordinal)
            || (a.Status != HttpStatusCode.OK || a.Body.Contains("\"errors\"", StringComparison.Ordinal)) && !OnlyServiceUnavailable(a.Body)).ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad.Take(5).Select(a => $"{a.Kind} {(int)a.Status} {a.Body}")));

        // Every promotion that committed added one approval and one context_version, whatever its client was told.
        Assert.Equal(gap, await ContextVersionOverApprovalsAsync(database));
        Assert.Empty(await database.QueryAsync(
            "SELECT project_id || schema_key FROM artifact_versions WHERE status = 'approved' GROUP BY project_id, schema_key HAVING COUNT(*) > 1"));
    }

    /// <summary>The project's context_version less its approvals (the seed starts it at 1: its first version has no approval row).</summary>
    private static async Task<string?> ContextVersionOverApprovalsAsync(TestDatabase database)
        => (await database.QueryAsync(
            $"SELECT context_version - (SELECT COUNT(*) FROM artifact_approvals WHERE project_id = '{Project}') FROM projects WHERE id = '{Project}'")).Single();

    private static async Task ReadLoopAsync(HttpClient http, ConcurrentQueue<(string, HttpStatusCode, string)> answers, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var (status, body) = await PostAsync(http, new { query = NestedRead });
            answers.Enqueue(("read", status, body));
        }
    }

    /// <summary>Promotes the drafts of one path in turn (<paramref name="drafts"/>, by version): each promotion supersedes the last.</summary>
    private static async Task PromoteLoopAsync(HttpClient http, IReadOnlyList<string?> drafts, ConcurrentQueue<(string, HttpStatusCode, string)> answers, CancellationToken stop)
    {
        foreach (var id in drafts)
        {
            if (stop.IsCancellationRequested)
            {
                return;
            }

            var (status, body) = await PostAsync(http, new { query = "mutation($id: ID!) { promoteArtifact(id: $id) { replayed } }", variables = new { id } });
            answers.Enqueue(("promote", status, body));
        }
    }

    private static async Task<TimeSpan> FirstGoodReadAsync(HttpClient http)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            var (status, body) = await PostAsync(http, new { query = NestedRead });
            if (status == HttpStatusCode.OK && !body.Contains("\"errors\"", StringComparison.Ordinal))
            {
                return clock.Elapsed;
            }

            await Task.Delay(100);
        }

        return clock.Elapsed;
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, object request)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("/graphql", request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (HttpStatusCode.InternalServerError, $"no answer: {ex.Message}");
        }
    }

    /// <summary>Every error of the answer is SERVICE_UNAVAILABLE.</summary>
    private static bool OnlyServiceUnavailable(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0
                && errors.EnumerateArray().All(e => e.GetProperty("extensions").GetProperty("code").GetString() == "SERVICE_UNAVAILABLE");
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
