using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Entities;
using ArtifactGraph.Server.Items;
using ArtifactGraph.Server.Loading;
using ArtifactGraph.Tests.GraphQL;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Streaming;

/// <summary>
/// Lists that may be larger than a batch (<see cref="TestDatabase.BatchSize"/> rows: no limit, or a larger one) are read in
/// batches while the answer is written. Over two and a half batches of versions the streamed answer is byte for byte the
/// answer read whole, whatever the sort (keyset order with nulls and ties, or by offset through a relation), offset
/// and limit, and each batch costs one statement for its root rows and one per relation level.
/// </summary>
public sealed class StreamedAnswerTests
{
    public const int Versions = 2 * TestDatabase.BatchSize + 500;

    private static readonly string[] Queries =
    [
        // No sort: the primary key; the many-to-one fields joined, the files one statement per batch.
        "{ artifact_versions(limit: -1) { id status files { sort directus_files_id { id filename_download } } primary_file_id { id } } }",
        // Keyset over a nullable text and a nullable number with ties, after an offset, to a limit within the third batch.
        """{ artifact_versions(sort: ["status", "-version"], offset: 7, limit: 2300) { id status version files { directus_files_id { id } } } }""",
        // A timestamp, descending (SQLite compares its own text of it).
        """{ artifact_versions(sort: ["-date_created"], limit: -1) { id date_created } }""",
        // Through a relation: batches by offset, inside the same snapshot.
        """{ artifact_versions(sort: ["project_id.name", "-schema_key"], offset: 3, limit: -1) { id schema_key } }""",
        // Two lists, a filter, a page, a relation with arguments (its own batch load per batch).
        """{ a: artifact_versions(filter: { status: { _neq: "rejected" } }, limit: 1500, page: 2) { id } """
            + """b: artifact_versions(sort: ["-id"], limit: -1) { id files(sort: ["-sort"]) { sort } } }""",
    ];

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_streamed_answer_is_the_answer_read_whole(DatabaseClient client)
    {
        await using var h = new EngineHarness(await TestDatabase.CreateAsync(client));
        await SeedAsync(h.Database, Versions);

        foreach (var query in Queries)
        {
            var whole = await h.ExecuteDirectJsonAsync(query);
            var streamedFlag = false;
            var streamed = await h.ExecuteDirectJsonAsync(query, streamable: true, streamed: s => streamedFlag = s);

            Assert.True(streamedFlag, query);
            Assert.NotNull(whole);
            Assert.Equal(whole, streamed);
        }
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Each_batch_costs_one_statement_per_level_whatever_its_rows(DatabaseClient client)
    {
        await using var h = new EngineHarness(await TestDatabase.CreateAsync(client));
        await SeedAsync(h.Database, Versions);
        const string query = "{ artifact_versions(limit: -1) { id files { directus_files_id { id } } primary_file_id { id } } }";

        h.Statements.Reset();
        await h.ExecuteDirectJsonAsync(query, streamable: true);
        var streamed = h.Statements.Count;
        h.Statements.Reset();
        await h.ExecuteDirectJsonAsync(query);
        var whole = h.Statements.Count;

        // Whole: the versions (with their primary file), then the junction rows (with their files) in batch loads of at
        // most 1,024 keys. Streamed: the same per batch of versions (two full ones, then the rest).
        const int keys = BatchLoader<object, object>.DefaultMaxBatchSize;
        static int Statements(int versions) => 1 + ((versions + keys - 1) / keys);
        Assert.Equal(Statements(Versions), whole);
        Assert.Equal((2 * Statements(TestDatabase.BatchSize)) + Statements(Versions - (2 * TestDatabase.BatchSize)), streamed);
    }

    /// <summary>
    /// At the server's default sizes a list of a few thousand rows (the versions here) is one batch, one statement; at
    /// the tests' sizes the same list takes a statement per batch; and with a first batch larger than the others, the
    /// list goes on in the smaller ones after it. The answer is the same list each time.
    /// </summary>
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task The_first_batch_may_be_larger_than_the_next(DatabaseClient client)
    {
        await using var database = await TestDatabase.CreateAsync(client);
        await SeedAsync(database, Versions);
        const string query = "{ artifact_versions(limit: -1) { id } }";
        var counts = new List<long>();
        var answers = new HashSet<string>();
        foreach (var (first, next) in new[] { (ItemBatches.DefaultFirstSize, ItemBatches.DefaultSize), (TestDatabase.BatchSize, TestDatabase.BatchSize), (1000, 500) })
        {
            await using var h = new EngineHarness(database, database.Settings with { QueryFirstBatchSize = first, QueryBatchSize = next }, ownsDatabase: false);
            var streamed = false;
            h.Statements.Reset();
            var answer = await h.ExecuteDirectJsonAsync(query, streamable: true, streamed: s => streamed = s);
            Assert.True(streamed);
            Assert.Equal(Versions, JsonDocument.Parse(answer!).RootElement.GetProperty("data").GetProperty("artifact_versions").GetArrayLength());
            answers.Add(answer!);
            counts.Add(h.Statements.Count);
        }

        // 2,500 rows: one batch of up to 4,096; three of 1,000; 1,000 then three of 500.
        Assert.Equal([1, 3, 4], counts);
        Assert.Single(answers);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Small_lists_are_not_streamed(DatabaseClient client)
    {
        await using var h = new EngineHarness(await TestDatabase.CreateAsync(client));
        await SeedAsync(h.Database, 20);

        var limited = true;
        await h.ExecuteDirectJsonAsync("{ artifact_versions(limit: 1000) { id } }", streamable: true, streamed: s => limited = s);
        var unlimited = false;
        h.Statements.Reset();
        await h.ExecuteDirectJsonAsync("{ artifact_versions(limit: -1) { id files { sort } } }", streamable: true, streamed: s => unlimited = s);

        Assert.False(limited);
        // Without a limit the list is read as a batch, which finds it holds fewer rows: its statements are those of a whole read.
        Assert.True(unlimited);
        Assert.Equal(2, h.Statements.Count);
    }

    /// <summary>
    /// <paramref name="n"/> versions in two projects, with a status (null for every seventh), versions 1 to 9 (null for
    /// every eleventh), dates that tie in pairs, a primary file and zero to two files each.
    /// </summary>
    internal static async Task SeedAsync(TestDatabase database, int n)
    {
        await using var db = database.CreateContext();
        var projects = new[] { new Project { Id = Guid.NewGuid(), Name = "B" }, new Project { Id = Guid.NewGuid(), Name = "A" } };
        db.Projects.AddRange(projects);
        var files = Enumerable.Range(0, 5).Select(i => new StoredFile
        {
            Id = Guid.NewGuid(), Storage = "local", FilenameDownload = $"f{i}.txt", CreatedOn = DateTime.UtcNow, ModifiedOn = DateTime.UtcNow,
        }).ToList();
        db.Files.AddRange(files);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        string?[] statuses = ["draft", "approved", "rejected", "superseded"];
        db.ArtifactVersions.AddRange(Enumerable.Range(0, n).Select(i => new ArtifactVersion
        {
            Id = Guid.NewGuid(),
            ProjectId = projects[i % 2].Id,
            SchemaKey = $"k/{i % 1300}/{i}",
            Version = i % 11 == 0 ? null : 1 + (i % 9),
            Status = i % 7 == 0 ? null : statuses[i % 4],
            DateCreated = start.AddMinutes(i / 2),
            PrimaryFileId = files[i % 5].Id,
            Files = [.. Enumerable.Range(0, i % 3).Select(f => new ArtifactFile { DirectusFilesId = files[(i + f) % 5].Id, Sort = f + 1 })],
        }));
        await db.SaveChangesAsync();
    }
}
