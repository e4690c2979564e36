using System.Text;
using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Streaming;

/// <summary>
/// Streamed answers read on a connection of their own, in a transaction of their own, and give both back when done: with
/// one connection in the pool, each answer's end hands it straight to a waiting one. The connection handed on used to
/// be ended a second time through the transaction object Npgsql gives its next user, which rolled back or broke that
/// user's reads (INTERNAL_SERVER_ERROR under load).
/// </summary>
public sealed class StreamedConcurrencyTests
{
    [Fact]
    public async Task Streamed_answers_that_queue_for_one_connection_all_answer_in_full()
    {
        await using var live = await LiveServer.StartAsync(DatabaseClient.Postgres, new Dictionary<string, string> { ["DB_POOL__MAX"] = "1" });
        await StreamedAnswerTests.SeedAsync(live.Database, 30);
        using var http = live.Client();
        http.Timeout = TimeSpan.FromSeconds(30);

        // limit: -1 streams whatever the number of rows: a snapshot per request, on the pool's only connection.
        var body = JsonSerializer.Serialize(new { query = "{ artifact_versions(sort: [\"-version\"], limit: -1) { id version } }" });
        var expected = await PostAsync(http, body);
        Assert.StartsWith("200 ", expected, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(expected[4..]).RootElement.GetProperty("data").GetProperty("artifact_versions").GetArrayLength() >= 30);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var different = new List<string>();
            for (var i = 0; i < 150; i++)
            {
                var answer = await PostAsync(http, body);
                if (answer != expected)
                {
                    different.Add(answer);
                }
            }

            return different;
        }));

        Assert.Empty(answers.SelectMany(a => a).Take(3));
    }

    private static async Task<string> PostAsync(HttpClient http, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/graphql", content);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }
}
