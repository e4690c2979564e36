using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Data;

/// <summary>Catalog queries shared by the migration tests, per dialect.</summary>
internal static class SchemaQueries
{
    public static async Task<List<string?>> TablesAsync(TestDatabase db)
        => await db.QueryAsync(db.Client == DatabaseClient.Sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            : "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");

    /// <summary>Indexes that back no primary key or unique constraint.</summary>
    /// <summary>How many migration scripts the server carries for PostgreSQL: a fresh database's journal ends with as many.</summary>
    public static int PostgresScripts { get; } = typeof(ArtifactGraph.Data.Migrations.DatabaseMigrator).Assembly.GetManifestResourceNames()
        .Count(name => name.Contains(".postgres.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal));

    public static async Task<List<string?>> ExtraIndexesAsync(TestDatabase db)
        => await db.QueryAsync(db.Client == DatabaseClient.Sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
            : """
              SELECT i.indexname FROM pg_indexes i
              WHERE i.schemaname = 'public'
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)
              ORDER BY i.indexname
              """);
}
