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
        await using var server = await ServerProcess.StartAsync(database);
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
        var logErrors = ServerLog.Errors(server.Output)
            .Where(e => !KnownIssues.All.Any(k => k.LogSignature is { } signature && e.Contains(signature, StringComparison.Ordinal))).ToList();
        WriteSummary(client, seed, requests, sent, answers, reproduced, storm.Elapsed, clock.Elapsed);

        var report = new StringBuilder($"seed {seed} on {client} (replay: AG_FUZZ_SEED={seed}, BadRequestGenerator.Generate(seed)[index])\n");
        if (failures.Count > 0)
        {
            report.Append($"{failures.Count} answers broke the rules; the first 25:\n").AppendJoin("\n", failures.Take(25)).Append('\n');
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
        Assert.True(failures.Count == 0 && afterwards.Count == 0 && logErrors.Count == 0, report.ToString());
    }

    private static async Task<Dictionary<string, string>> ReferenceAnswersAsync(StormRunner runner)
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
