using System.Text.Json.Nodes;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Import;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Tests.Data;

public sealed class ImportTests
{
    private static readonly Guid ProjectId = Guid.Parse("11111111-1111-4111-8111-111111111111");

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Import_oracleAdminAndSeed_insertsEveryRowAndFile(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);

        await db.ImportSeedAsync();

        var expected = new Dictionary<string, long>
        {
            ["directus_roles"] = 1, ["directus_users"] = 1, ["directus_folders"] = 0, ["directus_files"] = 8, ["projects"] = 2,
            ["tasks"] = 6, ["artifact_versions"] = 12, ["artifact_files"] = 14, ["task_artifacts"] = 11, ["artifact_approvals"] = 3,
        };
        foreach (var (table, count) in expected)
        {
            Assert.True(count == await db.CountAsync(table), $"{table}: expected {count} rows");
        }

        Assert.Equal(
            Directory.GetFiles(SharedPaths.Uploads).Select(Path.GetFileName).Order(),
            Directory.GetFiles(db.Settings.StorageLocalRoot).Select(Path.GetFileName).Order());
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Import_seed_roundTripsJsonAndTimestamps(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        await db.ImportSeedAsync();
        var seed = JsonNode.Parse(await File.ReadAllTextAsync(SharedPaths.SeedData))!;
        var seedProject = seed["projects"]!.AsArray().Single(p => (string?)p!["id"] == ProjectId.ToString())!;

        await using var context = db.CreateContext();
        var project = await context.Projects.SingleAsync(p => p.Id == ProjectId);
        var file = await context.Files.SingleAsync(f => f.Id == Guid.Parse("cccccccc-0000-4000-8000-000000000001"));

        Assert.True(JsonNode.DeepEquals(seedProject["context"], JsonNode.Parse(project.Context!)));
        Assert.Equal(new DateTime(2024, 1, 15, 8, 1, 0, DateTimeKind.Utc), DateTime.SpecifyKind(file.CreatedOn, DateTimeKind.Utc));
        Assert.Equal(DateTimeOffset.Parse((string)seedProject["date_created"]!).UtcDateTime, DateTime.SpecifyKind(project.DateCreated!.Value, DateTimeKind.Utc));
        Assert.Equal(33, file.Filesize);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Import_seedWithSerialIds_laterInsertsGetNewIds(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        await db.ImportSeedAsync();

        await using var context = db.CreateContext();
        var row = new ArtifactFile { ArtifactVersionId = Guid.Parse("bbbbbbbb-0000-4000-8000-000000000001"), Sort = 99 };
        context.ArtifactFiles.Add(row);
        await context.SaveChangesAsync();

        Assert.Equal(15, row.Id);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Import_taskOfMissingProject_failsNamingTheRowAndKeepsNothing(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        var error = await ImportFailsAsync(db, """
            {
              "projects": [ { "id": "11111111-0000-4000-8000-000000000001", "name": "kept?" } ],
              "tasks": [
                { "id": "22222222-0000-4000-8000-000000000001", "project_id": "11111111-0000-4000-8000-000000000001" },
                { "id": "22222222-0000-4000-8000-000000000002", "project_id": "11111111-0000-4000-8000-00000000dead" }
              ]
            }
            """);

        Assert.StartsWith("tasks[1] (id 22222222-0000-4000-8000-000000000002): ", error.Message);
        Assert.Equal(0, await db.CountAsync("projects"));
        Assert.Equal(0, await db.CountAsync("tasks"));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Import_invalidUuid_failsNamingTheColumn(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        var error = await ImportFailsAsync(db, """
            { "projects": [ { "id": "11111111-0000-4000-8000-000000000001" }, { "id": "not-a-uuid", "name": "bad" } ] }
            """);

        Assert.Equal("projects[1] (id not-a-uuid): column 'id': \"not-a-uuid\" is not a valid uuid", error.Message);
        Assert.Equal(0, await db.CountAsync("projects"));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Import_duplicateId_failsAndKeepsNothing(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        var error = await ImportFailsAsync(db, """
            { "artifact_files": [ { "id": 1, "sort": 1 }, { "id": 1, "sort": 2 } ] }
            """);

        Assert.StartsWith("artifact_files[1] (id 1): ", error.Message);
        Assert.Equal(0, await db.CountAsync("artifact_files"));
    }

    [Theory]
    [InlineData("{ \"widgets\": [] }", "Unknown collection 'widgets'.")]
    [InlineData("{ \"projects\": [ { \"id\": \"11111111-0000-4000-8000-000000000001\", \"colour\": 1 } ] }",
        "projects[0] (id 11111111-0000-4000-8000-000000000001): unknown column 'colour'")]
    [InlineData("{ \"projects\": {} }", "Collection 'projects' must be an array of rows.")]
    public async Task Import_documentNotMatchingTheModel_failsBeforeWriting(string document, string message)
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        var error = await ImportFailsAsync(db, document);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Import_foldersChildBeforeParent_insertsParentFirst()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        var path = await WriteDocumentAsync(db, """
            { "directus_folders": [
                { "id": "f0000000-0000-4000-8000-000000000002", "name": "child", "parent": "f0000000-0000-4000-8000-000000000001" },
                { "id": "f0000000-0000-4000-8000-000000000001", "name": "root", "parent": null } ] }
            """);

        await db.ImportAsync(path);

        Assert.Equal(2, await db.CountAsync("directus_folders"));
    }

    private static async Task<ImportException> ImportFailsAsync(TestDatabase db, string json)
    {
        var path = await WriteDocumentAsync(db, json);
        return await Assert.ThrowsAsync<ImportException>(() => db.ImportAsync(path));
    }

    private static Task<string> WriteDocumentAsync(TestDatabase db, string json) => db.WriteImportDocumentAsync(json);
}
