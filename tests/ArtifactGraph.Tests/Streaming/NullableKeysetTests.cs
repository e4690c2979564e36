using System.Text.Json;
using System.Text.RegularExpressions;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Entities;
using ArtifactGraph.Server.Items;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Streaming;

/// <summary>
/// A list sorted by a nullable first key is read in batches part by part (its values, then its nulls ascending; its
/// nulls, then its values descending), each continuation a plain range on that key. Whatever batch the boundary
/// between the parts falls in (the end of the first or second batch, or inside one), with values that tie across
/// batches and a nullable second key, the streamed answer is the answer read whole: same rows, same order.
/// </summary>
public sealed class NullableKeysetTests
{
    /// <summary>Each list (a status): its rows, and how many of them have no version.</summary>
    private static readonly (string Status, int Rows, int Nulls)[] Lists =
    [
        // Ascending, the values end with the second batch; descending, the nulls with the first.
        ("exact", 3000, 1000),
        // Both boundaries inside the second batch.
        ("inside", 2700, 1500),
        // Ascending, the values end with the first batch (its extra row is the first null); descending, the nulls with the second.
        ("probe", 3000, 2000),
    ];

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_list_sorted_by_a_nullable_key_streams_as_it_reads_whole(DatabaseClient client)
    {
        await using var h = new EngineHarness(await TestDatabase.CreateAsync(client));
        await SeedAsync(h.Database);

        foreach (var (status, rows, _) in Lists)
        {
            var filter = $$"""filter: { status: { _eq: "{{status}}" } }""";
            foreach (var sort in new[] { "\"version\"", "\"-version\"", "\"version\", \"-schema_key\"", "\"-version\", \"schema_key\"", "\"schema_key\"", "\"-schema_key\"" })
            {
                // Only the key selected: the batches read the first sort key for themselves.
                await AssertStreamsAsWholeAsync(h, $$"""{ artifact_versions({{filter}}, sort: [{{sort}}], limit: -1) { id } }""", rows);
            }

            await AssertStreamsAsWholeAsync(h, $$"""{ artifact_versions({{filter}}, sort: ["version"], offset: 5, limit: 2100) { id version schema_key } }""", 2100);
            await AssertStreamsAsWholeAsync(h, $$"""{ artifact_versions({{filter}}, sort: ["-version"], offset: 999, limit: -1) { id version } }""", rows - 999);
        }

        var all = Lists.Sum(l => l.Rows);
        await AssertStreamsAsWholeAsync(h, """{ artifact_versions(sort: ["version", "-schema_key"], limit: -1) { id version schema_key } }""", all);
        await AssertStreamsAsWholeAsync(h, """{ artifact_versions(sort: ["-schema_key", "-version"], limit: -1) { id } }""", all);
    }

    /// <summary>Over REST, without the sort key among the fields: the streamed list is its pages read whole, one after the other.</summary>
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_REST_list_sorted_by_a_nullable_key_streams_as_its_pages(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);
        await SeedAsync(live.Database);
        using var http = live.Client();

        foreach (var sort in new[] { "version,-schema_key", "-version,schema_key" })
        {
            var list = $"/items/artifact_versions?fields=id&sort={sort}&filter[status][_eq]=exact";
            var streamed = await ItemsAsync(http, list + "&limit=-1");
            var pages = new List<string>();
            for (var offset = 0; offset < 3000; offset += TestDatabase.BatchSize)
            {
                pages.AddRange(await ItemsAsync(http, $"{list}&limit={TestDatabase.BatchSize}&offset={offset}"));
            }

            Assert.Equal(3000, pages.Distinct().Count());
            Assert.Equal(pages, streamed);
        }
    }

    private static async Task<List<string>> ItemsAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetRawText())];
    }

    /// <summary>
    /// A continuation batch compares the first key with the last row's as a plain range (<c>&gt;=</c> ascending,
    /// <c>&lt;=</c> descending), and the nulls are read by <c>IS NULL</c>, not through an OR that makes PostgreSQL read
    /// and sort every row after the cursor.
    /// </summary>
    [Theory]
    [InlineData(DatabaseClient.Sqlite, "version", ">=")]
    [InlineData(DatabaseClient.Postgres, "version", ">=")]
    [InlineData(DatabaseClient.Sqlite, "-version", "<=")]
    [InlineData(DatabaseClient.Postgres, "-version", "<=")]
    [InlineData(DatabaseClient.Sqlite, "schema_key", ">=")]
    [InlineData(DatabaseClient.Postgres, "schema_key", ">=")]
    public async Task A_continuation_batch_reads_a_range_of_the_nullable_first_key(DatabaseClient client, string sort, string range)
    {
        await using var h = new EngineHarness(await TestDatabase.CreateAsync(client));
        await SeedAsync(h.Database);
        var column = sort.TrimStart('-');
        h.Statements.KeepText = true;
        h.Statements.Reset();

        var answer = await h.ExecuteDirectJsonAsync($$"""{ artifact_versions(filter: { status: { _eq: "inside" } }, sort: ["{{sort}}"], limit: -1) { id } }""", streamable: true);

        Assert.Equal(2700, Count(answer));
        var reads = h.Statements.Texts.Where(t => t.Contains("artifact_versions", StringComparison.Ordinal) && t.Contains("LIMIT", StringComparison.Ordinal)).ToList();
        // The first batch, two continuations, and the part after the boundary read from its start to fill its batch.
        Assert.Equal(4, reads.Count);
        var subquery = new Regex(@"\(\s*SELECT");
        var continuations = reads.Where(t => subquery.IsMatch(t)).ToList();
        Assert.Equal(2, continuations.Count);
        var rangePattern = new Regex($@"{column}""? {Regex.Escape(range)} \(\s*SELECT");
        Assert.Contains(continuations, t => rangePattern.IsMatch(t));
        // That part has no cursor: the nulls by IS NULL, or the values by IS NOT NULL.
        var fill = reads.Where(t => !subquery.IsMatch(t)).Skip(1).Single();
        Assert.Matches($@"{column}""? {(sort.StartsWith('-') ? "IS NOT NULL" : "IS NULL")}", fill);
    }

    /// <summary>
    /// On PostgreSQL, a batch in the middle of 20,000 versions sorted by their nullable schema key reads about a batch of
    /// rows from the index, where a single "after" predicate (an OR letting the nulls in) read the rows before or after
    /// the cursor too, some 10,000 of them.
    /// </summary>
    [Fact]
    public async Task A_continuation_batch_reads_about_a_batch_of_rows_on_PostgreSQL()
    {
        await using var h = new EngineHarness(await TestDatabase.CreateAsync(DatabaseClient.Postgres));
        await h.Database.ExecuteAsync("""
            INSERT INTO artifact_versions (id, date_created, schema_key, version, status)
            SELECT gen_random_uuid(), now(), CASE WHEN v % 10 = 0 THEN NULL ELSE 'k/' || lpad((v / 3)::text, 6, '0') END, 1, 'draft'
            FROM generate_series(1, 20000) AS v;
            ANALYZE artifact_versions;
            """);
        h.Statements.KeepText = true;
        h.Statements.Reset();

        var answer = await h.ExecuteDirectJsonAsync("""{ artifact_versions(sort: ["schema_key"], limit: -1) { id } }""", streamable: true);

        using var json = JsonDocument.Parse(answer!);
        var ids = json.RootElement.GetProperty("data").GetProperty("artifact_versions").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.Equal(20000, ids.Count);
        // The eleventh batch, after the 10,000th row (the nulls, the last 2,000 rows, are read from the nineteenth on).
        const int batch = 10;
        var reads = h.Statements.Texts.Where(t => t.Contains("artifact_versions", StringComparison.Ordinal) && t.Contains("LIMIT", StringComparison.Ordinal));
        var statement = Regex.Replace(reads.ElementAt(batch), "@[A-Za-z_][A-Za-z0-9_]*", $"'{ids[(batch * TestDatabase.BatchSize) - 1]}'::uuid");
        var plan = await h.Database.QueryAsync("EXPLAIN (ANALYZE, FORMAT JSON) " + statement);
        using var planJson = JsonDocument.Parse(Assert.Single(plan)!);

        Assert.InRange(RowsRead(planJson.RootElement[0].GetProperty("Plan")), TestDatabase.BatchSize, 3 * TestDatabase.BatchSize);
    }

    /// <summary>The rows the plan's scans of the table read: those they returned and those their filters removed.</summary>
    private static double RowsRead(JsonElement node)
    {
        var read = 0.0;
        if (node.GetProperty("Node Type").GetString()!.Contains("Scan", StringComparison.Ordinal))
        {
            read += node.GetProperty("Actual Rows").GetDouble() * node.GetProperty("Actual Loops").GetDouble();
            foreach (var removed in new[] { "Rows Removed by Filter", "Rows Removed by Index Recheck" })
            {
                read += node.TryGetProperty(removed, out var value) ? value.GetDouble() : 0;
            }
        }

        if (node.TryGetProperty("Plans", out var plans))
        {
            read += plans.EnumerateArray().Sum(RowsRead);
        }

        return read;
    }

    private static async Task AssertStreamsAsWholeAsync(EngineHarness h, string query, int expected)
    {
        var whole = await h.ExecuteDirectJsonAsync(query);
        var streamedFlag = false;
        var streamed = await h.ExecuteDirectJsonAsync(query, streamable: true, streamed: s => streamedFlag = s);

        Assert.True(streamedFlag, query);
        Assert.Equal(expected, Count(whole));
        Assert.True(whole == streamed, query);
    }

    private static int Count(string? answer)
    {
        Assert.NotNull(answer);
        using var json = JsonDocument.Parse(answer);
        return json.RootElement.GetProperty("data").GetProperty("artifact_versions").GetArrayLength();
    }

    /// <summary>
    /// The lists of <see cref="Lists"/>: their first rows without a version, the others with versions 1 to 3 (each value
    /// shared by hundreds of rows, across batches); a schema key for four rows in five, of four values.
    /// </summary>
    private static async Task SeedAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var (status, rows, nulls) in Lists)
        {
            db.ArtifactVersions.AddRange(Enumerable.Range(0, rows).Select(i => new ArtifactVersion
            {
                Id = Guid.NewGuid(),
                Status = status,
                Version = i < nulls ? null : 1 + (i % 3),
                SchemaKey = i % 5 == 0 ? null : $"k{i % 4}",
                DateCreated = start.AddMinutes(i),
            }));
        }

        await db.SaveChangesAsync();
        Assert.True(Lists.All(l => l.Rows > 2 * TestDatabase.BatchSize));
    }
}
