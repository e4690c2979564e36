using System.Text;
using System.Text.Json.Nodes;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Import;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Tests.Data;

/// <summary>The import reads the document in two passes and copies rows in chunks (COPY on PostgreSQL).</summary>
public sealed class StreamingImportTests
{
    private const string ProjectId = "11111111-0000-4000-8000-000000000001";

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Import_collectionsAfterTheirDependents_insertsEveryRow(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        var path = await db.WriteImportDocumentAsync($$"""
            {
              "artifact_files": [ { "id": 7, "artifact_version_id": "bbbbbbbb-0000-4000-8000-000000000001", "sort": 1 } ],
              "tasks": [ { "id": "22222222-0000-4000-8000-000000000001", "project_id": "{{ProjectId}}" } ],
              "artifact_versions": [ { "id": "bbbbbbbb-0000-4000-8000-000000000001", "project_id": "{{ProjectId}}" } ],
              "projects": [ { "id": "{{ProjectId}}", "name": "last in the document" } ]
            }
            """);

        var result = await db.ImportAsync(path);

        Assert.Equal(4, result.TotalRows);
        Assert.Equal(["projects", "tasks", "artifact_versions", "artifact_files"], result.RowsByCollection.Select(c => c.Key));
        Assert.Equal(1, await db.CountAsync("artifact_files"));
        Assert.Equal(["draft"], await db.QueryAsync("SELECT status FROM artifact_versions"));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Import_badForeignKeyDeepInALargeChunk_namesTheRowAndKeepsNothing(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        var path = await WriteTasksAsync(db, 20_000, i => (TaskId(i), i == 12_345 ? "11111111-0000-4000-8000-00000000dead" : ProjectId));

        var error = await Assert.ThrowsAsync<ImportException>(() => db.ImportAsync(path));

        Assert.StartsWith($"tasks[12345] (id {TaskId(12_345)}): ", error.Message);
        Assert.Contains(client == DatabaseClient.Postgres ? "foreign key" : "FOREIGN KEY", error.Message);
        Assert.Equal(0, await db.CountAsync("projects"));
        Assert.Equal(0, await db.CountAsync("tasks"));
    }

    [Fact]
    public async Task Import_duplicateKeyDeepInALargeChunk_namesTheSecondRowAndKeepsNothing()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        var path = await WriteTasksAsync(db, 20_000, i => (TaskId(i == 12_345 ? 3 : i), ProjectId));

        var error = await Assert.ThrowsAsync<ImportException>(() => db.ImportAsync(path));

        Assert.StartsWith($"tasks[12345] (id {TaskId(3)}): 23505: duplicate key", error.Message);
        Assert.Equal(0, await db.CountAsync("tasks"));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Import_rowsOverSeveralChunks_insertsEveryRow(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        var path = await WriteTasksAsync(db, 25_001, i => (TaskId(i), ProjectId));

        var result = await db.ImportAsync(path);

        Assert.Equal([KeyValuePair.Create("projects", 1), KeyValuePair.Create("tasks", 25_001)], result.RowsByCollection);
        Assert.Equal(25_001, await db.CountAsync("tasks"));
        Assert.Equal([$"title {25_000}"], await db.QueryAsync($"SELECT title FROM tasks WHERE id = '{TaskId(25_000)}'"));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Import_serialIdsLeftOut_theDatabaseNumbersTheRows(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        var path = await db.WriteImportDocumentAsync("""{ "artifact_files": [ { "sort": 1 }, { "sort": 2 } ] }""");

        await db.ImportAsync(path);

        Assert.Equal(["1:1", "2:2"], await db.QueryAsync("SELECT id || ':' || sort FROM artifact_files ORDER BY id"));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Import_serialIdsGivenInSomeRows_keepsTheGivenIds(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        var path = await db.WriteImportDocumentAsync("""{ "artifact_files": [ { "sort": 1 }, { "id": 5, "sort": 2 }, { "sort": 3 } ] }""");

        await db.ImportAsync(path);

        Assert.Equal(3, await db.CountAsync("artifact_files"));
        Assert.Equal(["2"], await db.QueryAsync("SELECT sort FROM artifact_files WHERE id = 5"));
    }

    [Fact]
    public async Task Import_postgresSeed_copiesEveryCollectionWithoutAnInsert()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        await using var context = db.CreateContext();
        db.Statements.KeepText = true;

        var rows = 0;
        foreach (var document in new[] { SharedPaths.Fixture("oracle-admin.json"), SharedPaths.SeedData })
        {
            await using var json = File.OpenRead(document);
            rows += (await JsonImporter.ImportAsync(context, json, CancellationToken.None)).TotalRows;
        }

        Assert.Equal(58, rows);
        Assert.DoesNotContain(db.Statements.Texts, sql => sql.Contains("INSERT", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(12, await db.CountAsync("artifact_versions"));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Import_jsonColumns_keepNestedValuesExactly(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        var context = """{"a":{"b":[1,2.5,{"c":"d \"quoted\" é ✓ \\ /"}],"empty":{},"none":null},"t":true}""";
        var content = "\"" + new string('x', 200_000) + " a string longer than the reader's window\"";
        var metadata = """{"exif":{"Make":"Canon","iso":[100,200]},"ifd0":"<tag>"}""";
        var path = await db.WriteImportDocumentAsync($$"""
            {
              "projects": [ { "id": "{{ProjectId}}", "context": {{context}} } ],
              "artifact_versions": [ { "id": "bbbbbbbb-0000-4000-8000-000000000001", "content": {{content}} } ],
              "directus_files": [ { "id": "cccccccc-0000-4000-8000-000000000001", "filename_download": "a.txt", "metadata": {{metadata}} } ]
            }
            """);

        await db.ImportAsync(path);

        await using var read = db.CreateContext();
        Assert.Equal(context, (await read.Projects.SingleAsync()).Context);
        Assert.Equal(content, (await read.ArtifactVersions.SingleAsync()).Content);
        Assert.Equal(metadata, (await read.Files.SingleAsync()).Metadata);
    }

    [Theory]
    [InlineData("""{ "projects": [ { "id": "11111111-0000-4000-8000-000000000001" }, 42 ] }""", "projects[1] (id none): a row must be a JSON object")]
    [InlineData("""{ "projects": [ { "id": "11111111-0000-4000-8000-000000000001" } ], "tasks": [ {}, {}, [ {} ] ] }""", "tasks[2] (id none): a row must be a JSON object")]
    [InlineData("""{ "projects": [ { "id": "11111111-0000-4000-8000-000000000001" } ], "widgets": [ 1 ] }""", "Unknown collection 'widgets'.")]
    [InlineData("""{ "projects": [ { "id": "11111111-0000-4000-8000-000000000001" } ], "tasks": "none" }""", "Collection 'tasks' must be an array of rows.")]
    [InlineData("""[ { "projects": [] } ]""", "The import document must be a JSON object: collection name → array of rows.")]
    public async Task Import_documentWithABadShapeAfterGoodRows_failsAndKeepsNothing(string document, string message)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        var path = await db.WriteImportDocumentAsync(document);

        var error = await Assert.ThrowsAsync<ImportException>(() => db.ImportAsync(path));

        Assert.Equal(message, error.Message);
        Assert.Equal(0, await db.CountAsync("projects"));
    }

    [Fact]
    public async Task Import_truncatedDocument_failsAsInvalidJson()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        var path = await db.WriteImportDocumentAsync($$"""{ "projects": [ { "id": "{{ProjectId}}" }, { "id": """);

        var error = await Assert.ThrowsAsync<ImportException>(() => db.ImportAsync(path));

        Assert.StartsWith("The import document is not valid JSON: ", error.Message);
        Assert.Equal(0, await db.CountAsync("projects"));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Import_streamThatCannotSeek_importsEveryRow(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        var json = Encoding.UTF8.GetBytes($$"""{ "projects": [ { "id": "{{ProjectId}}", "name": "once" } ] }""");
        await using var context = db.CreateContext();

        var result = await JsonImporter.ImportAsync(context, new ForwardOnlyStream(json), CancellationToken.None);

        Assert.Equal(1, result.TotalRows);
        Assert.Equal(["once"], await db.QueryAsync("SELECT name FROM projects"));
    }

    private static string TaskId(int i) => $"22222222-0000-4000-8000-{i:x12}";

    private static Task<string> WriteTasksAsync(TestDatabase db, int count, Func<int, (string Id, string ProjectId)> task)
    {
        var json = new StringBuilder($$"""{ "projects": [ { "id": "{{ProjectId}}" } ], "tasks": [""");
        for (var i = 0; i < count; i++)
        {
            var (id, projectId) = task(i);
            json.Append(i == 0 ? "\n" : ",\n").Append($$"""  { "id": "{{id}}", "project_id": "{{projectId}}", "title": "title {{i}}" }""");
        }

        return db.WriteImportDocumentAsync(json.Append("\n] }").ToString());
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
