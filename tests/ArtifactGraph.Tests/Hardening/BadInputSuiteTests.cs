using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// The bad-input suite: some 1,500 generated requests (mutated valid queries, random bytes, invalid UTF-8, huge strings and
/// lists, deep nesting, wrong variables, hostile filter/sort/groupBy/search, hostile mutations, identities that may not
/// read anything) sent by 16 concurrent workers to the real server over the seed data. Every answer must pass
/// <see cref="AnswerChecker"/>; afterwards the server must be healthy, log no unexpected exception, answer the
/// reference queries as before, and hold exactly the data it held before. Set AG_FUZZ_SEED to run another seed.
/// </summary>
public sealed class BadInputSuiteTests(ITestOutputHelper output)
{
    private const int Workers = 16;
    private const int MinimumRequests = 1_000;
    private static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task BadInput_storm_every_answer_is_a_well_formed_error_and_nothing_changes(DatabaseClient client)
    {
        var clock = Stopwatch.StartNew();
        var seed = int.TryParse(Environment.GetEnvironmentVariable("AG_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : BadRequestGenerator.DefaultSeed;
        var requests = BadRequestGenerator.Generate(seed);
        await using var database = await TestDatabase.CreateAsync(client);
        await database.ImportSeedAsync();
        await using var server = await ServerProcess.StartAsync(database, SocketSettings);
        using var runner = new StormRunner(server.BaseUrl, Workers, HangAfter);
        var before = await DatabaseDump.TakeAsync(database);
        var baselines = await ReferenceAnswersAsync(runner);

        var sent = requests.Where(r => KnownIssues.Find(r, client) is not { Send: false }).ToList();
        var storm = Stopwatch.StartNew();
        var answers = await runner.RunAsync(sent);
        storm.Stop();

        var failures = new List<string>();
        var reproduced = new Dictionary<string, int>();
        for (var i = 0; i < sent.Count; i++)
        {
            var problems = AnswerChecker.Check(sent[i], answers[i], baselines);
            if (KnownIssues.Find(sent[i], client) is { } issue)
            {
                reproduced[issue.Id] = reproduced.GetValueOrDefault(issue.Id) + (problems.Count > 0 ? 1 : 0);
                continue;
            }

            if (problems.Count > 0)
            {
                failures.Add($"{sent[i].Describe()}\n    answer: {Describe(answers[i])}\n    - {string.Join("\n    - ", problems)}");
            }
        }

        var afterwards = await AfterTheStormAsync(server, runner, database, before, baselines);

        // The socket part comes after the data check: its last steps write (the slow reader's events, the healthy socket's).
        var sockets = BadRequestGenerator.GenerateSockets(seed, requests);
        var socketClock = Stopwatch.StartNew();
        var socketProblems = await SocketStormAsync(server, sockets, baselines, client);
        output.WriteLine($"{client}: {sockets.Count} socket cases by {SocketWorkers} workers, slow reader and healthy socket in {socketClock.Elapsed.TotalSeconds:0.0} s");
        var logErrors = ServerLog.Errors(server.Output)
            .Where(e => !KnownIssues.All.Any(k => k.LogSignature is { } signature && e.Contains(signature, StringComparison.Ordinal))).ToList();
        WriteSummary(client, seed, requests, sent, answers, reproduced, storm.Elapsed, clock.Elapsed);

        var report = new StringBuilder($"seed {seed} on {client} (replay: AG_FUZZ_SEED={seed}, BadRequestGenerator.Generate(seed)[index])\n");
        if (failures.Count > 0)
        {
            report.Append($"{failures.Count} answers broke the rules; the first 25:\n").AppendJoin("\n", failures.Take(25)).Append('\n');
        }

        if (socketProblems.Count > 0)
        {
            report.Append($"{socketProblems.Count} socket problems; the first 25:\n").AppendJoin("\n", socketProblems.Take(25)).Append('\n');
        }

        if (afterwards.Count > 0)
        {
            report.Append("after the storm:\n  ").AppendJoin("\n  ", afterwards).Append('\n');
        }

        if (logErrors.Count > 0)
        {
            report.Append($"{logErrors.Count} unexpected errors in the server log; the first 5:\n").AppendJoin("\n", logErrors.Take(5).Select(e => e.Length > 3000 ? e[..3000] + "…" : e));
        }

        Assert.True(sent.Count >= MinimumRequests, $"only {sent.Count} requests were sent");
        Assert.True(failures.Count == 0 && afterwards.Count == 0 && logErrors.Count == 0 && socketProblems.Count == 0, report.ToString());
    }

    /// <summary>
    /// WebSockets on (graphql-transport-ws on /graphql), a short init timeout for the 4408 cases, and a small backlog so
    /// that the slow reader is closed after a few writes. The data cache on, purged by writes, so that the storm's
    /// requests also go through its keys, captures and purges (every read a miss first, the baselines' replays hits).
    /// </summary>
    internal static readonly Dictionary<string, string> SocketSettings = new()
    {
        ["WEBSOCKETS_ENABLED"] = "true",
        ["WEBSOCKETS_GRAPHQL_AUTH_TIMEOUT"] = "3",
        ["WEBSOCKETS_GRAPHQL_MAX_BACKLOG"] = "50",
        ["CACHE_ENABLED"] = "true",
        ["CACHE_AUTO_PURGE"] = "true",
        ["CACHE_SKIP_ALLOWED"] = "true",
    };

    private const int SocketWorkers = 8;
    private const string WrittenVersion = "bbbbbbbb-0000-4000-8000-000000000003";

    /// <summary>
    /// The socket cases, then the slow reader, each checked; meanwhile a healthy socket keeps a subscription, and
    /// afterwards it must still hear a write over HTTP, and health and a reference query must answer as before.
    /// </summary>
    internal async Task<List<string>> SocketStormAsync(ServerProcess server, IReadOnlyList<SocketCase> cases, Dictionary<string, string> baselines, DatabaseClient client)
    {
        var problems = new List<string>();
        await using var healthy = await Subscriptions.GraphQLWebSocketClient.ConnectAsync(server.BaseUrl);
        await healthy.InitAsync(Identity.AdminToken);
        await healthy.SubscribeAsync("healthy", SocketCategories.Subscription);
        using var stopPinging = new CancellationTokenSource();
        var pinging = Task.Run(async () =>
        {
            // The heartbeat closes a peer it has not heard from for a period: the healthy socket speaks up now and then.
            while (!stopPinging.IsCancellationRequested)
            {
                await healthy.SendAsync(new { type = "ping" });
                await Task.Delay(TimeSpan.FromSeconds(5), stopPinging.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });

        var runner = new SocketStormRunner(server.BaseUrl, SocketWorkers, HangAfter, baselines);
        var outcomes = await runner.RunAsync(cases);
        for (var i = 0; i < cases.Count; i++)
        {
            if (outcomes[i].Problems.Count > 0)
            {
                problems.Add($"{cases[i].Describe()}\n    got: {outcomes[i].End}{string.Concat(outcomes[i].Messages.Take(3).Select(m => "\n    message: " + m))}\n    - {string.Join("\n    - ", outcomes[i].Problems)}");
            }
        }

        output.WriteLine($"{"socket category",-24} {"count",6}  ends");
        foreach (var group in cases.Select((c, i) => (Case: c, Outcome: outcomes[i])).GroupBy(p => p.Case.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{group.Key,-24} {group.Count(),6}  {string.Join(" ", group.GroupBy(p => p.Outcome.End).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}"))}");
        }

        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Identity.AdminToken);
        problems.AddRange((await runner.SlowReaderAsync(http, WrittenVersion)).Select(p => $"{client} slow reader: {p}"));

        await stopPinging.CancelAsync();
        await pinging;
        var mutation = $"mutation {{ update_artifact_versions_item(id: \"{WrittenVersion}\", data: {{ status: \"in_review\" }}) {{ id }} }}";
        using (var update = await http.PostAsync("/graphql", new StringContent(RequestBuilder.Serialize(new { query = mutation }), Encoding.UTF8, "application/json")))
        {
            if (!update.IsSuccessStatusCode)
            {
                problems.Add($"the healthy socket's write: {(int)update.StatusCode} {await update.Content.ReadAsStringAsync()}");
            }
        }

        problems.AddRange(await HealthySocketHearsAsync(healthy));
        using (var health = await http.GetAsync("/server/health"))
        {
            if (health.StatusCode != HttpStatusCode.OK)
            {
                problems.Add($"/server/health after the sockets: {(int)health.StatusCode}");
            }
        }

        var (key, path, query) = BadRequestGenerator.ReferenceQueries[0];
        using (var reference = await http.PostAsync(path, new StringContent(RequestBuilder.Serialize(new { query }), Encoding.UTF8, "application/json")))
        {
            var text = await reference.Content.ReadAsStringAsync();
            if (reference.StatusCode != HttpStatusCode.OK || text != baselines[key])
            {
                problems.Add($"reference query {key} after the sockets: {(int)reference.StatusCode} {text}");
            }
        }

        return problems;
    }

    /// <summary>The healthy socket, open through the whole socket storm, hears the update of the version (events of the slow reader's writes before it).</summary>
    private static async Task<List<string>> HealthySocketHearsAsync(Subscriptions.GraphQLWebSocketClient healthy)
    {
        var seen = new List<string>();
        while (true)
        {
            System.Text.Json.JsonElement? received;
            try
            {
                received = await healthy.ReceiveAsync(TimeSpan.FromSeconds(15));
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (received is not { } message)
            {
                break;
            }

            if (message.GetProperty("type").GetString() == "next"
                && message.GetProperty("payload").GetProperty("data").GetProperty("artifact_versions_mutated").GetProperty("data") is { ValueKind: System.Text.Json.JsonValueKind.Object } data
                && data.GetProperty("status").GetString() == "in_review")
            {
                return [];
            }

            if (message.GetProperty("type").GetString() != "pong")
            {
                seen.Add(message.ToString());
            }
        }

        return [$"the healthy socket did not hear the update (closed with {healthy.CloseStatus}); it heard {seen.Count} other messages: {string.Join(" ", seen.TakeLast(2))}"];
    }

    internal static async Task<Dictionary<string, string>> ReferenceAnswersAsync(StormRunner runner)
    {
        var answers = new Dictionary<string, string>();
        foreach (var (key, path, query) in BadRequestGenerator.ReferenceQueries)
        {
            var answer = await runner.SendAsync(RequestBuilder.Post("control", Identity.Admin, path, query));
            var body = Encoding.UTF8.GetString(answer.Body);
            Assert.True(answer.Status == 200 && body.StartsWith("{\"data\":", StringComparison.Ordinal), $"reference query {key}: {answer.Status} {body}");
            answers[key] = body;
        }

        return answers;
    }

    /// <summary>The server still runs, answers ping and health, answers the reference queries as before, and holds the same data.</summary>
    private static async Task<List<string>> AfterTheStormAsync(
        ServerProcess server, StormRunner runner, TestDatabase database, DatabaseDump before, Dictionary<string, string> baselines)
    {
        var problems = new List<string>();
        if (server.HasExited)
        {
            problems.Add("the server process exited");
            return problems;
        }

        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        using (var ping = await http.GetAsync("/server/ping"))
        {
            var text = await ping.Content.ReadAsStringAsync();
            if (ping.StatusCode != HttpStatusCode.OK || text != "pong")
            {
                problems.Add($"/server/ping: {(int)ping.StatusCode} {text}");
            }
        }

        using (var health = await http.GetAsync("/server/health"))
        {
            var text = await health.Content.ReadAsStringAsync();
            if (health.StatusCode != HttpStatusCode.OK || !text.Contains("\"ok\"", StringComparison.Ordinal))
            {
                problems.Add($"/server/health: {(int)health.StatusCode} {text}");
            }
        }

        foreach (var (key, path, query) in BadRequestGenerator.ReferenceQueries)
        {
            var answer = await runner.SendAsync(RequestBuilder.Post("control", Identity.Admin, path, query));
            if (Encoding.UTF8.GetString(answer.Body) != baselines[key])
            {
                problems.Add($"reference query {key} answers differently: {Describe(answer)}");
            }
        }

        problems.AddRange((before.Differences(await DatabaseDump.TakeAsync(database))).Select(d => "data changed: " + d));
        return problems;
    }

    private void WriteSummary(
        DatabaseClient client, int seed, IReadOnlyList<BadRequest> generated, List<BadRequest> sent, Answer[] answers,
        Dictionary<string, int> reproduced, TimeSpan storm, TimeSpan total)
    {
        output.WriteLine($"{client}: seed {seed}, {generated.Count} generated, {sent.Count} sent by {Workers} workers in {storm.TotalSeconds:0.0} s ({total.TotalSeconds:0.0} s with setup)");
        output.WriteLine($"{"category",-20} {"count",6}  statuses");
        foreach (var group in sent.Select((r, i) => (Request: r, Answer: answers[i])).GroupBy(p => p.Request.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{group.Key,-20} {group.Count(),6}  {Histogram(group.Select(p => p.Answer))}");
        }

        output.WriteLine($"{"all",-20} {sent.Count,6}  {Histogram(answers)}");
        foreach (var who in sent.Select((r, i) => (Request: r, Answer: answers[i])).GroupBy(p => p.Request.Identity.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  as {who.Key,-22} {who.Count(),5}  {Histogram(who.Select(p => p.Answer))}");
        }

        foreach (var issue in KnownIssues.All)
        {
            var matching = generated.Count(r => issue.Matches(r, client));
            output.WriteLine($"known issue {issue.Id}: {matching} requests, {(issue.Send ? $"sent, {reproduced.GetValueOrDefault(issue.Id)} still failing" : "not sent")}");
        }

        output.WriteLine("slowest:\n  " + string.Join("\n  ", sent.Select((r, i) => (Request: r, Answer: answers[i])).OrderByDescending(p => p.Answer.Elapsed).Take(5)
            .Select(p => $"{p.Answer.Elapsed.TotalSeconds:0.00} s for {p.Request.Describe(160)}")));
    }

    private static string Histogram(IEnumerable<Answer> answers)
        => string.Join(" ", answers.GroupBy(a => a.TransportError is null ? a.Status.ToString(CultureInfo.InvariantCulture) : "none")
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}"));

    private static string Describe(Answer answer)
    {
        if (answer.TransportError is { } error)
        {
            return error;
        }

        var body = Encoding.UTF8.GetString(answer.Body.AsSpan(0, Math.Min(answer.Body.Length, 500)));
        return $"{answer.Status} {answer.ContentType} {body}" + (answer.Body.Length > 500 ? $"… ({answer.Body.Length} bytes)" : "");
    }
}
