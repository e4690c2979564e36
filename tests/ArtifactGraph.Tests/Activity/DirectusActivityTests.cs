using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Activity;

/// <summary>
/// Each kind of write leaves exactly the activity and revision rows Directus 12.4.1 wrote for the same request
/// (recorded in <c>Fixtures/directus-activity.json</c>), on both databases, through the real server process.
/// </summary>
public sealed class DirectusActivityTests
{
    private const string UserAgent = "activity-fixture/1.0";
    private const string Origin = "http://client.example";
    private const string RecordedUploadKey = "b4d7f055-bf1a-4037-ad46-1912d916e3a7";

    private static readonly JsonObject Fixture = JsonNode.Parse(File.ReadAllText(SharedPaths.Fixture("directus-activity.json")))!.AsObject();

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Writes_recordActivityAndRevisions_asDirectusDoes(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);
        foreach (var recorded in Fixture["cases"]!.AsArray().Select(c => c!.AsObject()))
        {
            var name = (string)recorded["name"]!;
            var before = await ActivityRows.LastIdAsync(live.Database);
            var expected = new JsonObject { ["case"] = name, ["activity"] = recorded["activity"]!.DeepClone(), ["revisions"] = recorded["revisions"]!.DeepClone() };
            var expectedText = ActivityRows.Normalize(expected);
            if (name == "upload")
            {
                // The new file's key is random on both servers.
                expectedText = expectedText.Replace(RecordedUploadKey, await UploadAsync(live), StringComparison.Ordinal);
            }
            else
            {
                await MutateAsync(live, recorded["request"]!.AsObject());
            }

            var actual = await ActivityRows.AfterAsync(live.Database, before);
            actual = new JsonObject { ["case"] = name, ["activity"] = actual["activity"]!.DeepClone(), ["revisions"] = actual["revisions"]!.DeepClone() };
            Assert.Equal(expectedText, ActivityRows.Normalize(actual));
        }
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Mutation_failingOnItsSecondItemOrDeletingNothing_leavesNoActivity(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);
        var before = await ActivityRows.LastIdAsync(live.Database);
        var projects = await live.Database.CountAsync("projects");

        var answer = await PostAsync(live, new JsonObject
        {
            ["query"] = "mutation($d: [create_projects_input!]) { create_projects_items(data: $d) { id } }",
            ["variables"] = new JsonObject { ["d"] = new JsonArray(new JsonObject { ["name"] = "First", ["context_version"] = 0 }, new JsonObject { ["name"] = new string('x', 300), ["context_version"] = 0 }) },
        });

        Assert.Equal("VALUE_TOO_LONG", (string?)answer["errors"]?[0]?["extensions"]?["code"]);
        await MutateAsync(live, new JsonObject { ["query"] = """mutation { delete_tasks_items(ids: ["aaaaaaaa-0000-4000-8000-00000000ffff"]) { ids } }""" });
        Assert.Equal(projects, await live.Database.CountAsync("projects"));
        Assert.Equal(before, await ActivityRows.LastIdAsync(live.Database));
        Assert.Equal(0, await live.Database.CountAsync("directus_revisions") - await RevisionsUpToAsync(live.Database, before));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Activity_behindATrustedProxy_recordsTheForwardedAddress(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client, new Dictionary<string, string> { ["IP_TRUST_PROXY"] = "loopback" });
        var before = await ActivityRows.LastIdAsync(live.Database);

        await MutateAsync(live, new JsonObject { ["query"] = """mutation { update_tasks_item(id: "aaaaaaaa-0000-4000-8000-000000000001", data: { title: "Renamed" }) { id } }""" });

        var row = Assert.Single((await ActivityRows.AfterAsync(live.Database, before))["activity"]!.AsArray())!;
        Assert.Equal(("update", "tasks", "203.0.113.7", Origin), ((string?)row["action"], (string?)row["collection"], (string?)row["ip"], (string?)row["origin"]));
    }

    private static async Task<long> RevisionsUpToAsync(TestDatabase database, int activity)
        => long.Parse((await database.QueryAsync($"SELECT COUNT(*) FROM directus_revisions WHERE activity <= {activity}"))[0]!, System.Globalization.CultureInfo.InvariantCulture);

    internal static async Task<JsonNode> PostAsync(LiveServer live, JsonObject body, string? origin = Origin)
    {
        using var http = live.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");
        try
        {
            using var response = await http.SendAsync(request);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        }
        catch (HttpRequestException ex)
        {
            throw new InvalidOperationException("The server did not answer; its output:\n" + string.Join("\n", live.Process.Output.TakeLast(40)), ex);
        }
    }

    private static async Task MutateAsync(LiveServer live, JsonObject request)
    {
        var answer = await PostAsync(live, (JsonObject)request.DeepClone());
        Assert.True(answer["errors"] is null, answer.ToJsonString());
    }

    private static async Task<string> UploadAsync(LiveServer live)
    {
        using var http = live.Client();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("Uploaded for activity"), "title" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("hello activity\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(file, "file", "up.txt");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/files") { Content = form };
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return (string)JsonNode.Parse(text)!["data"]!["id"]!;
    }
}
