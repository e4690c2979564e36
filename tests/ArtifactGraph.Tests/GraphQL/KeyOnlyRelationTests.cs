using ArtifactGraph.Data;
using ArtifactGraph.Data.Model;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// A many-to-one selected by its related key alone (<c>primary_file_id { id }</c>) is read from its column, without the
/// related table, where the database enforces the foreign key (<see cref="EnforcedForeignKeys"/>): a non-null key then
/// always names a row, so the answer is the join's. Where it is not enforced, the related table is read, and a key that
/// names no row answers null, as Directus answers it.
/// </summary>
public sealed class KeyOnlyRelationTests
{
    private const string Version = "bbbbbbbb-0000-4000-8000-000000000001";
    private const string WithFile = "bbbbbbbb-0000-4000-8000-000000000002";

    public static TheoryData<DatabaseClient> Databases => new() { DatabaseClient.Sqlite, DatabaseClient.Postgres };

    /// <summary>
    /// Reads of key-only many-to-ones: a page, a whole list (read in batches), a junction's two, a nested list's, one
    /// item's, a relation's inside a joined item (read by its own batch load otherwise), and one whose item has a list.
    /// </summary>
    private static readonly string[] Queries =
    [
        "{ artifact_versions(sort: [\"id\"]) { id primary_file_id { id } } }",
        "{ artifact_versions(sort: [\"id\"], limit: -1) { id status primary_file_id { id } } }",
        "{ artifact_files(sort: [\"id\"]) { id sort directus_files_id { id } artifact_version_id { id } } }",
        "{ tasks(sort: [\"id\"]) { id artifacts { sort artifact_version_id { id } } } }",
        "{ artifact_versions(sort: [\"id\"]) { id files { sort directus_files_id { id } } primary_file_id { id } } }",
        $"{{ artifact_versions_by_id(id: \"{WithFile}\") {{ id primary_file_id {{ id }} }} }}",
        "{ task_artifacts(sort: [\"id\"]) { id artifact_version_id { id status primary_file_id { id } } } }",
        "{ artifact_approvals(sort: [\"id\"]) { id artifact_version_id { version project_id { id } } } }",
        "{ artifact_files(sort: [\"id\"]) { id artifact_version_id { id files { sort } } } }",
    ];

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task The_catalog_knows_the_foreign_keys_the_migrations_create(DatabaseClient client)
    {
        await using var database = await TestDatabase.CreateAsync(client);
        var keys = await ReadAsync(database);

        Assert.True(keys.Enforces("artifact_versions", "primary_file_id", "directus_files", "id"));
        Assert.True(keys.Enforces("artifact_files", "directus_files_id", "directus_files", "id"));
        Assert.True(keys.Enforces("task_artifacts", "artifact_version_id", "artifact_versions", "id"));
        Assert.True(keys.Enforces("tasks", "project_id", "projects", "id"));
        Assert.False(keys.Enforces("artifact_versions", "schema_key", "directus_files", "id"));
        Assert.False(keys.Enforces("artifact_versions", "primary_file_id", "projects", "id"));
    }

    /// <summary>A constraint added <c>NOT VALID</c> (old rows unchecked) or with its triggers disabled checks nothing.</summary>
    [Fact]
    public async Task A_foreign_key_PostgreSQL_does_not_check_is_not_counted()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        async Task<bool> Enforced() => (await ReadAsync(database)).Enforces("artifact_versions", "primary_file_id", "directus_files", "id");

        Assert.True(await Enforced());
        await database.ExecuteAsync(
            "ALTER TABLE artifact_versions DROP CONSTRAINT artifact_versions_primary_file_id_foreign; "
            + "ALTER TABLE artifact_versions ADD CONSTRAINT artifact_versions_primary_file_id_foreign "
            + "FOREIGN KEY (primary_file_id) REFERENCES directus_files (id) ON DELETE SET NULL NOT VALID");
        Assert.False(await Enforced());
        await database.ExecuteAsync("ALTER TABLE artifact_versions VALIDATE CONSTRAINT artifact_versions_primary_file_id_foreign");
        Assert.True(await Enforced());
        await database.ExecuteAsync("ALTER TABLE artifact_versions DISABLE TRIGGER ALL");
        Assert.False(await Enforced());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task A_key_only_many_to_one_answers_as_the_join_without_reading_the_related_table(DatabaseClient client)
    {
        await using var keyed = await EngineHarness.WithSeedAsync(client);
        await using var joined = new EngineHarness(keyed.Database, keyed.Database.Settings, ownsDatabase: false, readForeignKeys: false);
        foreach (var query in Queries)
        {
            var expected = await joined.ExecuteDirectusJsonAsync(query);
            Assert.DoesNotContain("\"errors\"", expected);
            Assert.Equal(expected, await keyed.ExecuteDirectusJsonAsync(query));
            Assert.Equal(expected, await keyed.ExecuteDirectJsonAsync(query) ?? expected);
        }

        // The seed has versions with a primary file and without one: both forms are compared above.
        var page = await joined.ExecuteDirectusJsonAsync(Queries[0]);
        Assert.Contains("\"primary_file_id\":null", page);
        Assert.Contains("\"primary_file_id\":{\"id\":\"cccccccc-", page);

        // Read from the column: no statement names the related table; the join (or the batch load) names it.
        foreach (var query in new[] { Queries[0], Queries[5], Queries[6] })
        {
            Assert.DoesNotContain(await TextsAsync(keyed, query), t => t.Contains("directus_files", StringComparison.Ordinal));
            Assert.Contains(await TextsAsync(joined, query), t => t.Contains("directus_files", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Without the foreign key, a key may name no row; the related table is read and the answer is null, and a filter on
    /// the related key finds no row. The knowledge is read at start-up: a server started before the key was dropped reads
    /// the column until it starts again.
    /// </summary>
    [Fact]
    public async Task Without_an_enforced_foreign_key_a_key_naming_no_row_answers_null()
    {
        const string query = $"{{ artifact_versions(filter: {{ id: {{ _eq: \"{Version}\" }} }}) {{ id primary_file_id {{ id }} }} }}";
        await using var started = await EngineHarness.WithSeedAsync(DatabaseClient.Postgres);
        await started.Database.ExecuteAsync("ALTER TABLE artifact_versions DROP CONSTRAINT artifact_versions_primary_file_id_foreign");
        await started.Database.ExecuteAsync($"UPDATE artifact_versions SET primary_file_id = 'dddddddd-0000-4000-8000-00000000dead' WHERE id = '{Version}'");

        await using var restarted = new EngineHarness(started.Database, started.Database.Settings, ownsDatabase: false);
        Assert.Equal(
            $"{{\"data\":{{\"artifact_versions\":[{{\"id\":\"{Version}\",\"primary_file_id\":null}}]}}}}",
            await restarted.ExecuteDirectusJsonAsync(query));
        Assert.Contains("00000000dead", await started.ExecuteDirectusJsonAsync(query));

        // One item, and a relation inside a joined item: read by their batch loads, null as well.
        const string one = $"{{ artifact_versions_by_id(id: \"{Version}\") {{ primary_file_id {{ id }} }} }}";
        const string nested = $"{{ task_artifacts(filter: {{ artifact_version_id: {{ id: {{ _eq: \"{Version}\" }} }} }}) {{ artifact_version_id {{ primary_file_id {{ id }} }} }} }}";
        foreach (var text in new[] { one, nested })
        {
            Assert.Contains("\"primary_file_id\":null", await restarted.ExecuteDirectusJsonAsync(text));
            Assert.Contains("00000000dead", await started.ExecuteDirectusJsonAsync(text));
        }

        Assert.Contains("\"primary_file_id\":null", await restarted.ExecuteDirectJsonAsync(nested));

        // A filter on the related key goes on the foreign key only where it is enforced; here it joins, and finds nothing.
        const string filter = "{ artifact_versions(filter: { primary_file_id: { id: { _eq: \"dddddddd-0000-4000-8000-00000000dead\" } } }) { id } }";
        Assert.Equal("{\"data\":{\"artifact_versions\":[]}}", await restarted.ExecuteDirectusJsonAsync(filter));
        Assert.Contains(Version, await started.ExecuteDirectusJsonAsync(filter));
    }

    private static async Task<EnforcedForeignKeys> ReadAsync(TestDatabase database)
    {
        var keys = new EnforcedForeignKeys();
        await using var db = database.CreateContext();
        await keys.LoadAsync(db, CancellationToken.None);
        return keys;
    }

    private static async Task<List<string>> TextsAsync(EngineHarness h, string query)
    {
        h.Statements.KeepText = true;
        h.Statements.Reset();
        Assert.DoesNotContain("\"errors\"", await h.ExecuteDirectusJsonAsync(query));
        var texts = h.Statements.Texts.ToList();
        Assert.NotEmpty(texts);
        return texts;
    }
}
