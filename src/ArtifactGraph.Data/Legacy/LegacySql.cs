using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Data.Legacy;

/// <summary>
/// The raw SQL of the legacy migration, the provider differences in one place. Table and column names come
/// from <see cref="LegacyArrayColumn"/> (constants), never from input; values are parameters.
/// </summary>
internal static class LegacySql
{
    public static async Task<bool> ColumnExistsAsync(ArtifactGraphDbContext db, LegacyArrayColumn legacy, CancellationToken cancellationToken)
    {
        var query = db.IsSqlite
            ? db.Database.SqlQuery<string>($"""SELECT name AS "Value" FROM pragma_table_info({legacy.Table}) WHERE name = {legacy.Column}""")
            : db.Database.SqlQuery<string>(
                $"""
                SELECT column_name::text AS "Value" FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = {legacy.Table} AND column_name = {legacy.Column}
                """);
        return (await query.ToListAsync(cancellationToken)).Count > 0;
    }

    /// <summary>
    /// Makes a concurrent run wait for this one, so that it sees the links this one creates. SQLite needs
    /// nothing: EF starts its transactions with <c>BEGIN IMMEDIATE</c>, which already excludes other writers.
    /// </summary>
    public static async Task LockJunctionsAsync(ArtifactGraphDbContext db, CancellationToken cancellationToken)
    {
        if (!db.IsSqlite)
        {
            await db.Database.ExecuteSqlRawAsync("LOCK TABLE artifact_files, task_artifacts IN SHARE ROW EXCLUSIVE MODE", cancellationToken);
        }
    }

    /// <summary>The rows whose column holds a value, both read as text (a json, jsonb or text column alike).</summary>
    public static Task<List<LegacyRow>> ReadRowsAsync(ArtifactGraphDbContext db, LegacyArrayColumn legacy, CancellationToken cancellationToken)
    {
        var (table, column) = (Identifier(legacy.Table), Identifier(legacy.Column));
        var sql = $"""SELECT CAST(id AS TEXT) AS "Id", CAST({column} AS TEXT) AS "Value" FROM {table} WHERE {column} IS NOT NULL ORDER BY 1""";
        return db.Database.SqlQueryRaw<LegacyRow>(sql).ToListAsync(cancellationToken);
    }

    /// <summary>Plain <c>DROP COLUMN</c>: PostgreSQL, and SQLite from 3.35 (the bundled e_sqlite3 is newer).</summary>
    public static Task DropColumnAsync(ArtifactGraphDbContext db, LegacyArrayColumn legacy, CancellationToken cancellationToken)
    {
        var sql = $"ALTER TABLE {Identifier(legacy.Table)} DROP COLUMN {Identifier(legacy.Column)}";
        return db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
    }

    /// <summary>Identifiers cannot be parameters: quote them, accepting only the snake_case names of <see cref="LegacyArrayColumn"/>.</summary>
    private static string Identifier(string name)
        => name.Length > 0 && name.All(c => c is (>= 'a' and <= 'z') or '_')
            ? $"\"{name}\""
            : throw new ArgumentException($"'{name}' is not a plain snake_case identifier.", nameof(name));
}

/// <summary>A row of a legacy table: its id and the array column, as text.</summary>
internal sealed class LegacyRow
{
    public required string Id { get; init; }
    public required string Value { get; init; }
}
