using ArtifactGraph.Data.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Data;

/// <summary>The one place that points an <see cref="ArtifactGraphDbContext"/> at PostgreSQL or SQLite.</summary>
public static class ArtifactGraphDbOptions
{
    public static DbContextOptionsBuilder Configure(
        DbContextOptionsBuilder builder, DatabaseClient client, string connectionString, StatementCounter? counter = null)
    {
        if (client == DatabaseClient.Sqlite)
        {
            builder.UseSqlite(SqliteConnections.Normalize(connectionString));
        }
        else
        {
            builder.UseNpgsql(PooledPostgres(connectionString));
        }

        if (counter is not null)
        {
            builder.AddInterceptors(counter);
        }

        return builder;
    }

    /// <summary>
    /// Npgsql's pool sends <c>DISCARD ALL</c> before reusing a connection, one round trip per batch load (3–4 per nested
    /// query). ArtifactGraph leaves no session state behind (no SET, temporary tables or prepared statements of its
    /// own; transactions always end), so the reset is skipped unless the connection string says otherwise:
    /// measured +25 % requests/s on the benchmark's nested queries.
    /// </summary>
    public static string PooledPostgres(string connectionString)
        => connectionString.Contains("reset on close", StringComparison.OrdinalIgnoreCase)
            ? connectionString
            : new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;

    /// <summary>Options for a context created outside dependency injection (the import command, tests).</summary>
    public static DbContextOptions<ArtifactGraphDbContext> Create(DatabaseClient client, string connectionString, StatementCounter? counter = null)
    {
        var builder = new DbContextOptionsBuilder<ArtifactGraphDbContext>();
        Configure(builder, client, connectionString, counter);
        return builder.Options;
    }
}
