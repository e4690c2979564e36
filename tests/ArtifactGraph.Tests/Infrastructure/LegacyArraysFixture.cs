using ArtifactGraph.Data;

namespace ArtifactGraph.Tests.Infrastructure;

/// <summary>A database of the old model: Fixtures/legacy-arrays.json plus the JSON array columns of legacy-arrays.sql.</summary>
public static class LegacyArraysFixture
{
    public static readonly Guid Project = Guid.Parse("11111111-0000-4000-8000-000000000001");

    public static Guid File(int n) => Guid.Parse($"f0000000-0000-4000-8000-00000000000{n}");

    public static Guid Version(int n) => Guid.Parse($"b0000000-0000-4000-8000-00000000000{n}");

    public static Guid Task(int n) => Guid.Parse($"a0000000-0000-4000-8000-00000000000{n}");

    public static async Task<TestDatabase> CreateAsync(DatabaseClient client)
    {
        var db = await TestDatabase.CreateAsync(client);
        await db.ImportAsync(SharedPaths.Fixture("legacy-arrays.json"));
        await db.ExecuteAsync(await System.IO.File.ReadAllTextAsync(SharedPaths.Fixture("legacy-arrays.sql")));
        return db;
    }

    /// <summary>Makes every insert into task_artifacts fail, as a failure half-way through the migration.</summary>
    public static Task FailInsertsIntoTaskArtifactsAsync(TestDatabase db)
        => db.ExecuteAsync(db.Client == DatabaseClient.Sqlite
            ? "CREATE TRIGGER fail_task_artifacts BEFORE INSERT ON task_artifacts BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
            : """
              CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
              CREATE TRIGGER fail_task_artifacts BEFORE INSERT ON task_artifacts FOR EACH ROW EXECUTE FUNCTION fail_insert();
              """);

    public static async Task<bool> ColumnExistsAsync(TestDatabase db, string table, string column)
    {
        var sql = db.Client == DatabaseClient.Sqlite
            ? $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'"
            : $"SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}' AND column_name = '{column}'";
        return (await db.QueryAsync(sql))[0] != "0";
    }
}
