using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Data.Model;

/// <summary>
/// The single-column foreign keys the connected database enforces, read from its catalog once the migrations have run
/// (<see cref="LoadAsync"/>). Where a column's foreign key is enforced, a non-null value always names an existing row,
/// so a many-to-one whose selection is only the related key can be answered from the column without reading the related
/// table (see <c>JoinedRelation</c> in the server). Until loaded (and when the catalog could not be read) it knows none,
/// and every such read joins as before.
/// </summary>
/// <remarks>
/// PostgreSQL: a validated constraint (not <c>NOT VALID</c>) whose triggers are not disabled, between two tables of the
/// current schema. SQLite: a declared foreign key; every connection the server opens enforces them
/// (<see cref="SqliteConnections"/>). Read at start-up: a constraint dropped while the server runs is seen at its next start,
/// as Directus reads its schema.
/// </remarks>
public sealed class EnforcedForeignKeys
{
    private volatile IReadOnlySet<(string Table, string Column, string Referenced, string? ReferencedColumn)> keys =
        new HashSet<(string, string, string, string?)>();

    /// <summary>
    /// Whether the database enforces that a non-null <paramref name="table"/>.<paramref name="column"/> names a row of
    /// <paramref name="referenced"/> by its primary key <paramref name="referencedKey"/>.
    /// </summary>
    public bool Enforces(string table, string column, string referenced, string referencedKey)
    {
        var known = keys;
        return known.Contains((table, column, referenced, referencedKey))
            || known.Contains((table, column, referenced, null));
    }

    /// <summary>How many foreign keys are known (diagnostics and tests).</summary>
    public int Count => keys.Count;

    /// <summary>Reads the catalog, replacing what was known; throws when it cannot (what was known stays).</summary>
    public async Task LoadAsync(ArtifactGraphDbContext db, CancellationToken ct)
    {
        var found = new HashSet<(string, string, string, string?)>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = db.IsSqlite ? SqliteSql : PostgresSql;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                found.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        keys = found;
    }

    // A referenced column left out (REFERENCES t) is the referenced table's primary key: null here.
    private const string SqliteSql = """
        SELECT m.name, f."from", f."table", f."to"
        FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f
        WHERE m.type = 'table'
            AND (SELECT count(*) FROM pragma_foreign_key_list(m.name) AS g WHERE g.id = f.id) = 1
        """;

    private const string PostgresSql = """
        SELECT t.relname, a.attname, r.relname, ra.attname
        FROM pg_constraint AS c
        JOIN pg_class AS t ON t.oid = c.conrelid
        JOIN pg_class AS r ON r.oid = c.confrelid
        JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute AS ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND c.convalidated AND cardinality(c.conkey) = 1
            AND t.relnamespace = to_regnamespace(current_schema()) AND r.relnamespace = t.relnamespace
            AND NOT EXISTS (SELECT 1 FROM pg_trigger AS g WHERE g.tgconstraint = c.oid AND g.tgenabled = 'D')
        """;
}
