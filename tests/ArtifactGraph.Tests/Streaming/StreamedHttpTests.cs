using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Items;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Streaming;

/// <summary>
/// Over HTTP, a list larger than a batch is sent as it is read: chunked, without <c>Content-Length</c>, and the same
/// items as the pages of at most one batch that are read whole, on both routes (GraphQL and REST) and databases. When
/// the database fails half-way through such an answer, the connection is aborted: the client never receives a body that
/// parses as a complete answer, the server logs it and goes on serving.
/// </summary>
public sealed class StreamedHttpTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_large_list_is_sent_chunked_with_the_items_of_its_pages(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);
        await StreamedAnswerTests.SeedAsync(live.Database, StreamedAnswerTests.Versions);
        using var http = live.Client();

        // REST, with its counts.
        const string rest = "/items/artifact_versions?fields=id,status,files.directus_files_id.id&sort=status,-version&meta=total_count";
        var (streamed, restHeaders) = await GetAsync(http, rest + "&limit=-1");
        Assert.True(restHeaders.TransferEncodingChunked);
        var pages = new List<string>();
        for (var offset = 0; ; offset += TestDatabase.BatchSize)
        {
            var (page, pageHeaders) = await GetAsync(http, $"{rest}&limit={TestDatabase.BatchSize}&offset={offset}");
            Assert.NotEqual(true, pageHeaders.TransferEncodingChunked);
            var items = page.GetProperty("data").EnumerateArray().Select(e => e.GetRawText()).ToList();
            pages.AddRange(items);
            if (items.Count < TestDatabase.BatchSize)
            {
                break;
            }
        }

        var total = int.Parse(streamed.GetProperty("meta").GetProperty("total_count").GetRawText(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(pages.Count, total);
        Assert.Equal(pages, streamed.GetProperty("data").EnumerateArray().Select(e => e.GetRawText()).ToList());

        // GraphQL.
        const string selection = "{ id version files { directus_files_id { id } } }";
        var (graphQL, graphQLHeaders) = await PostAsync(http, $$"""{ artifact_versions(sort: ["-version"], limit: -1) {{selection}} }""");
        Assert.True(graphQLHeaders.TransferEncodingChunked);
        Assert.False(graphQL.TryGetProperty("errors", out _));
        var expected = new List<string>();
        for (var offset = 0; offset < total; offset += TestDatabase.BatchSize)
        {
            var (page, _) = await PostAsync(http, $$"""{ artifact_versions(sort: ["-version"], limit: {{TestDatabase.BatchSize}}, offset: {{offset}}) {{selection}} }""");
            expected.AddRange(page.GetProperty("data").GetProperty("artifact_versions").EnumerateArray().Select(e => e.GetRawText()));
        }

        Assert.Equal(expected, graphQL.GetProperty("data").GetProperty("artifact_versions").EnumerateArray().Select(e => e.GetRawText()).ToList());
    }

    /// <summary>
    /// The answer's transaction is the one backend of the server's database in a transaction while the answer is sent:
    /// the test terminates it once the first bytes arrived, while the client reads nothing more (80,000 versions, some
    /// 7 MB, more than the socket buffers hold), so that the server meets the failure at its next batch.
    /// </summary>
    [Fact]
    public async Task A_database_lost_half_way_aborts_the_answer()
    {
        await using var live = await LiveServer.StartAsync(DatabaseClient.Postgres);
        await SeedLargeListAsync(live);
        var received = await ReceiveUntilTheDatabaseIsLostAsync(live, () => new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("""{"query":"{ artifact_versions(limit: -1) { id files { directus_files_id { id } } } }"}""", Encoding.UTF8, "application/json"),
        });

        // What arrived is no JSON document.
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(received));

        // The server goes on: the same query is answered whole.
        using var again = live.Client();
        var (answer, _) = await PostAsync(again, "{ artifact_versions(limit: -1) { id } }");
        Assert.Equal(LargeList + 12, answer.GetProperty("data").GetProperty("artifact_versions").GetArrayLength());
    }

    internal const int LargeList = 80000;

    /// <summary><see cref="LargeList"/> versions more than the seed's, each with a file.</summary>
    internal static Task SeedLargeListAsync(LiveServer live) => live.Database.ExecuteAsync($"""
        INSERT INTO artifact_versions (id, date_created, schema_key, version, status)
        SELECT gen_random_uuid(), now(), 'stream/' || v, 1, 'draft' FROM generate_series(1, {LargeList}) AS v;
        INSERT INTO artifact_files (artifact_version_id, directus_files_id, sort)
        SELECT id, (SELECT id FROM directus_files ORDER BY id LIMIT 1), 1 FROM artifact_versions WHERE schema_key LIKE 'stream/%';
        """);

    /// <summary>
    /// Sends the request of a large answer (see <see cref="SeedLargeListAsync"/>), terminates the backend of its
    /// transaction once its first bytes arrived, and checks that the body then ends early (the connection reset, no final
    /// chunk), that the server logged it and still runs. Returns what arrived.
    /// </summary>
    internal static async Task<byte[]> ReceiveUntilTheDatabaseIsLostAsync(LiveServer live, Func<HttpRequestMessage> send)
    {
        var logged = live.Process.Output.Count(line => line.Contains("the answer failed after it had begun", StringComparison.Ordinal));
        using var handler = new SocketsHttpHandler
        {
            // A small receive buffer, so that what the server can send ahead of the reader stays small.
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 16 * 1024, NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(live.Process.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServerFixture.AdminToken);
        using var request = send();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var buffer = new byte[1024];
        received.Write(buffer, 0, await body.ReadAsync(buffer));

        var backends = await live.Database.QueryAsync("""
            SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start IS NOT NULL
            """);
        var backend = Assert.Single(backends);
        await live.Database.ExecuteAsync($"SELECT pg_terminate_backend({backend})");

        var failed = false;
        try
        {
            await body.CopyToAsync(received);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            failed = true;
        }

        Assert.True(failed, "the body ended as a complete one");
        await WaitForAsync(() => live.Process.Output.Count(line => line.Contains("the answer failed after it had begun", StringComparison.Ordinal)) > logged);
        Assert.False(live.Process.HasExited, "the server exited:\n" + string.Join("\n", live.Process.Output.TakeLast(40)));
        return received.ToArray();
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        // Bounded in count, not a timing assertion: the log line follows the abort by a moment.
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }

    private static async Task<(JsonElement Body, HttpResponseHeaders Headers)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone(), response.Headers);
    }

    private static async Task<(JsonElement Body, HttpResponseHeaders Headers)> PostAsync(HttpClient http, string query)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/graphql", content);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone(), response.Headers);
    }
}
