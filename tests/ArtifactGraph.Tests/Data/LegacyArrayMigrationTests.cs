using ArtifactGraph.Data;
using ArtifactGraph.Data.Legacy;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ArtifactGraph.Tests.Infrastructure.LegacyArraysFixture;

namespace ArtifactGraph.Tests.Data;

public sealed class LegacyArrayMigrationTests
{
    private const string FileIds = "artifact_versions.file_ids";
    private const string VersionIds = "tasks.artifact_version_ids";

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Migrate_legacyArrays_createsJunctionRowsSortedByPosition(DatabaseClient client)
    {
        await using var db = await CreateAsync(client);

        await MigrateAsync(db);

        await using var context = db.CreateContext();
        var files = await context.ArtifactFiles.Select(l => new { l.ArtifactVersionId, l.DirectusFilesId, l.Sort }).ToListAsync();
        Assert.Equal(
            [(Version(1), File(2), 1), (Version(1), File(1), 2), (Version(2), File(3), 4), (Version(3), File(2), 1), (Version(3), File(3), 2)],
            files.Select(l => (l.ArtifactVersionId!.Value, l.DirectusFilesId!.Value, l.Sort!.Value)).OrderBy(l => (l.Item1, l.Item3)));
        var tasks = await context.TaskArtifacts.Select(l => new { l.TaskId, l.ArtifactVersionId, l.Sort }).ToListAsync();
        Assert.Equal(
            [(Task(1), Version(1), 1), (Task(1), Version(2), 2), (Task(2), Version(3), 2)],
            tasks.Select(l => (l.TaskId!.Value, l.ArtifactVersionId!.Value, l.Sort!.Value)).OrderBy(l => (l.Item1, l.Item3)));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Migrate_legacyArrays_setsPrimaryFileOnlyWhereEmpty(DatabaseClient client)
    {
        await using var db = await CreateAsync(client);

        var result = await MigrateAsync(db);

        await using var context = db.CreateContext();
        var primaries = await context.ArtifactVersions.ToDictionaryAsync(v => v.Id, v => v.PrimaryFileId);
        Assert.Equal(File(2), primaries[Version(1)]);
        Assert.Equal(File(3), primaries[Version(2)]);
        Assert.Equal(File(1), primaries[Version(3)]);
        Assert.All([Version(4), Version(5), Version(6)], v => Assert.Null(primaries[v]));
        Assert.Equal(2, Column(result, FileIds).PrimaryFilesSet);
        Assert.Null(Column(result, VersionIds).PrimaryFilesSet);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Migrate_missingAndMalformedIds_skipsAndReportsThem(DatabaseClient client)
    {
        await using var db = await CreateAsync(client);

        var result = await MigrateAsync(db);

        var files = Column(result, FileIds);
        Assert.Equal((5, 5, 0), (files.RowsScanned, files.LinksCreated, files.LinksPresent));
        Assert.Equal(
            [
                new(Version(2).ToString(), "\"f0000000-0000-4000-8000-000000000009\"", "no such directus_files row"),
                new(Version(2).ToString(), "\"not-a-uuid\"", "not a uuid"),
                new(Version(2).ToString(), "42", "not a uuid"),
                new LegacySkippedId(Version(5).ToString(), """{"ids": ["f0000000-0000-4000-8000-000000000001"]}""", "not a JSON array"),
            ],
            files.Skipped);
        var tasks = Column(result, VersionIds);
        Assert.Equal((2, 3, 1), (tasks.RowsScanned, tasks.LinksCreated, tasks.LinksPresent));
        Assert.Equal(
            [new LegacySkippedId(Task(2).ToString(), "\"b0000000-0000-4000-8000-000000000009\"", "no such artifact_versions row")],
            tasks.Skipped);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Migrate_secondRun_addsNothing(DatabaseClient client)
    {
        await using var db = await CreateAsync(client);
        await MigrateAsync(db);

        var second = await MigrateAsync(db);

        Assert.Equal((0, 5, 0), (Column(second, FileIds).LinksCreated, Column(second, FileIds).LinksPresent, Column(second, FileIds).PrimaryFilesSet));
        Assert.Equal((0, 4), (Column(second, VersionIds).LinksCreated, Column(second, VersionIds).LinksPresent));
        Assert.Equal(5, await db.CountAsync("artifact_files"));
        Assert.Equal(3, await db.CountAsync("task_artifacts"));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Migrate_dropColumns_migratesThenRemovesTheColumns(DatabaseClient client)
    {
        await using var db = await CreateAsync(client);

        var result = await MigrateAsync(db, dropColumns: true);

        Assert.True(result.ColumnsDropped);
        Assert.Equal(5, await db.CountAsync("artifact_files"));
        Assert.False(await ColumnExistsAsync(db, "artifact_versions", "file_ids"));
        Assert.False(await ColumnExistsAsync(db, "tasks", "artifact_version_ids"));
        Assert.True((await MigrateAsync(db, dropColumns: true)).NothingToDo);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Migrate_noLegacyColumns_doesNothing(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);

        var result = await MigrateAsync(db, dropColumns: true);

        Assert.True(result.NothingToDo);
        Assert.False(result.ColumnsDropped);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Migrate_failureInTheSecondColumn_keepsNothingOfTheFirst(DatabaseClient client)
    {
        await using var db = await CreateAsync(client);
        await FailInsertsIntoTaskArtifactsAsync(db);

        var error = await Assert.ThrowsAsync<LegacyMigrationException>(() => MigrateAsync(db, dropColumns: true));

        Assert.Contains("injected failure", error.Message);
        Assert.Equal(0, await db.CountAsync("artifact_files"));
        Assert.Equal([null], await db.QueryAsync($"SELECT primary_file_id FROM artifact_versions WHERE id = '{Version(1)}'"));
        Assert.True(await ColumnExistsAsync(db, "artifact_versions", "file_ids"));
    }

    private static async Task<LegacyArrayResult> MigrateAsync(TestDatabase db, bool dropColumns = false)
    {
        await using var context = db.CreateContext();
        return await LegacyArrayMigrator.MigrateAsync(context, dropColumns, CancellationToken.None);
    }

    private static LegacyColumnResult Column(LegacyArrayResult result, string column) => result.Columns.Single(c => c.Column == column);
}
