using ArtifactGraph.Data;
using ArtifactGraph.Data.Entities;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// The SQL statements a nested query issues depend on its depth, never on the number of rows. Many-to-one fields
/// selected without arguments are joined into their parent rows' statement: the versions with their primary file, the
/// junction rows with their file (or version), so each query below takes two statements.
/// </summary>
public sealed class StatementCountTests
{
    private const string VersionsWithFiles =
        "{ artifact_versions(limit: -1) { id status files { sort directus_files_id { id filename_download } } primary_file_id { id } } }";

    private const string TasksWithArtifacts =
        "{ tasks(limit: -1) { id title status artifacts { sort artifact_version_id { id schema_key version status } } } }";

    [Theory]
    [InlineData(DatabaseClient.Sqlite, VersionsWithFiles, 2)]
    [InlineData(DatabaseClient.Postgres, VersionsWithFiles, 2)]
    [InlineData(DatabaseClient.Sqlite, TasksWithArtifacts, 2)]
    [InlineData(DatabaseClient.Postgres, TasksWithArtifacts, 2)]
    public async Task NestedQuery_over_10_and_1000_parents_issues_the_same_statements(DatabaseClient client, string query, int expected)
    {
        var small = await CountAsync(client, query, parents: 10);
        var large = await CountAsync(client, query, parents: 1000);

        Assert.Equal(expected, small);
        Assert.Equal(small, large);
    }

    /// <summary>
    /// A many-to-one field with arguments, or one related to a collection the caller reads through an item filter,
    /// keeps its own batch load: one statement per relation, still independent of the number of rows.
    /// </summary>
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task ManyToOne_with_arguments_is_batch_loaded_not_joined(DatabaseClient client)
    {
        const string query = "{ artifact_versions(limit: -1) { id files { sort directus_files_id(filter: { id: { _nnull: true } }) { id } } "
            + "primary_file_id(filter: { id: { _nnull: true } }) { id type } } }";
        var small = await CountAsync(client, query, parents: 10);
        var large = await CountAsync(client, query, parents: 1000);

        Assert.Equal(4, small);
        Assert.Equal(small, large);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task NestedQuery_reads_only_the_selected_columns(DatabaseClient client)
    {
        var texts = await StatementTextsAsync(client, VersionsWithFiles);

        // Files have 26 columns; the query wants id and filename_download. Versions are read without their content.
        var files = Reading(texts, "directus_files");
        Assert.NotEmpty(files);
        Assert.Contains(files, t => t.Contains("filename_download", StringComparison.Ordinal));
        Assert.All(files, t => Assert.DoesNotContain("tus_data", t));
        var versions = Reading(texts, "artifact_versions");
        Assert.NotEmpty(versions);
        Assert.All(versions, t => Assert.DoesNotContain("content", t));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_page_is_written_into_the_SQL_as_literals(DatabaseClient client)
    {
        // A LIMIT parameter makes PostgreSQL's generic plan of the prepared statement guess a tenth of the table.
        var texts = await StatementTextsAsync(client, "{ artifact_versions(limit: 7, offset: 2, sort: [\"id\"]) { id } }");

        var text = Assert.Single(Reading(texts, "artifact_versions"));
        Assert.Contains("LIMIT 7", text, StringComparison.Ordinal);
        Assert.Contains("OFFSET 2", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// A batch load's keys are never null, so the statement is a plain <c>= ANY</c> / <c>IN</c>: EF Core's compensation
    /// for a null key (<c>OR (task_id IS NULL AND array_position(…, NULL) IS NOT NULL)</c>) made PostgreSQL's generic plan
    /// scan the junction's index twice, or the whole junction. The load is sent twice: compiled the second time.
    /// </summary>
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_batch_load_by_a_nullable_foreign_key_has_no_null_compensation(DatabaseClient client)
    {
        var texts = await StatementTextsAsync(client, TasksWithArtifacts, TasksWithArtifacts);

        var junction = Reading(texts, "task_artifacts");
        Assert.Equal(2, junction.Count);
        Assert.All(junction, text =>
        {
            Assert.DoesNotContain("array_position", text, StringComparison.Ordinal);
            Assert.DoesNotContain("task_id\" IS NULL", text, StringComparison.Ordinal);
            Assert.DoesNotContain("task_id IS NULL", text, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task SearchAndContains_patternIsALiteral_soTheDatabasePlansForIt(DatabaseClient client)
    {
        // A prepared statement's generic plan cannot see a LIKE pattern's selectivity (see OperatorTranslator); quotes in
        // the term must come out escaped, and the answer must still find what it searches.
        var texts = await StatementTextsAsync(
            client,
            "{ artifact_versions(search: \"O'Key-7\", limit: 5) { id } }",
            "{ artifact_versions(filter: { schema_key: { _icontains: \"K/3\" } }) { id } }");

        var searches = Reading(texts, "artifact_versions").Where(t => t.Contains("LIKE", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, searches.Count);
        Assert.Contains("'%o''key-7%'", searches[0], StringComparison.Ordinal);
        Assert.Contains("'%k/3%'", searches[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task InsensitivePatterns_wildcardsInTheTerm_matchThemselvesOnly(DatabaseClient client)
    {
        await using var harness = new EngineHarness(await TestDatabase.CreateAsync(client));
        await SeedAsync(harness.Database, 10);

        Assert.Equal("{\"data\":{\"artifact_versions\":[]}}", await harness.ExecuteJsonAsync("{ artifact_versions(filter: { schema_key: { _icontains: \"K_3\" } }) { schema_key } }"));
        Assert.Equal("{\"data\":{\"artifact_versions\":[]}}", await harness.ExecuteJsonAsync("{ artifact_versions(search: \"%/3\") { schema_key } }"));
        Assert.Equal(
            "{\"data\":{\"artifact_versions\":[{\"schema_key\":\"k/3\"}]}}",
            await harness.ExecuteJsonAsync("{ artifact_versions(filter: { schema_key: { _istarts_with: \"K/3\" } }) { schema_key } }"));
    }

    /// <summary>The text of every statement <paramref name="queries"/> sent, run one after the other over 10 seeded parents.</summary>
    private static async Task<List<string>> StatementTextsAsync(DatabaseClient client, params string[] queries)
    {
        await using var harness = new EngineHarness(await TestDatabase.CreateAsync(client));
        await SeedAsync(harness.Database, 10);
        harness.Statements.KeepText = true;
        foreach (var query in queries)
        {
            Assert.Null((await harness.ExecuteAsync(query)).Errors);
        }

        return [.. harness.Statements.Texts];
    }

    /// <summary>The statements that read <paramref name="table"/>, in their FROM clause or in a join.</summary>
    private static List<string> Reading(IEnumerable<string> texts, string table)
        => texts.Where(t => t.Contains($"\"{table}\" AS", StringComparison.Ordinal) || t.Contains($" {table} AS ", StringComparison.Ordinal)).ToList();

    private static async Task<long> CountAsync(DatabaseClient client, string query, int parents)
    {
        await using var harness = new EngineHarness(await TestDatabase.CreateAsync(client));
        await SeedAsync(harness.Database, parents);
        harness.Statements.Reset();
        var result = await harness.ExecuteAsync(query);
        Assert.Null(result.Errors);
        return harness.Statements.Count;
    }

    /// <summary>N artifact versions with two files and a primary file each, and N tasks linked to two versions each.</summary>
    private static async Task SeedAsync(TestDatabase database, int n)
    {
        await using var db = database.CreateContext();
        var project = new Project { Id = Guid.NewGuid(), Name = "P" };
        db.Projects.Add(project);
        var files = Enumerable.Range(0, 4).Select(i => new StoredFile
        {
            Id = Guid.NewGuid(), Storage = "local", FilenameDownload = $"f{i}.txt", CreatedOn = DateTime.UtcNow, ModifiedOn = DateTime.UtcNow,
        }).ToList();
        db.Files.AddRange(files);
        var versions = Enumerable.Range(0, n).Select(i => new ArtifactVersion
        {
            Id = Guid.NewGuid(), ProjectId = project.Id, SchemaKey = $"k/{i}", Version = 1, Status = "draft", PrimaryFileId = files[i % 4].Id,
            Files = [new ArtifactFile { DirectusFilesId = files[i % 4].Id, Sort = 1 }, new ArtifactFile { DirectusFilesId = files[(i + 1) % 4].Id, Sort = 2 }],
        }).ToList();
        db.ArtifactVersions.AddRange(versions);
        db.Tasks.AddRange(Enumerable.Range(0, n).Select(i => new ProjectTask
        {
            Id = Guid.NewGuid(), ProjectId = project.Id, Title = $"t{i}", Status = "todo",
            Artifacts = [new TaskArtifact { ArtifactVersionId = versions[i].Id, Sort = 1 }, new TaskArtifact { ArtifactVersionId = versions[(i + 1) % n].Id, Sort = 2 }],
        }));
        await db.SaveChangesAsync();
    }
}
