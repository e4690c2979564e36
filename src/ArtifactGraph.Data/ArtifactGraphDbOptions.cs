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
            builder.UseNpgsql(connectionString);
        }

        if (counter is not null)
        {
            builder.AddInterceptors(counter);
        }

        return builder;
    }

    /// <summary>Options for a context created outside dependency injection (the import command, tests).</summary>
    public static DbContextOptions<ArtifactGraphDbContext> Create(DatabaseClient client, string connectionString, StatementCounter? counter = null)
    {
        var builder = new DbContextOptionsBuilder<ArtifactGraphDbContext>();
        Configure(builder, client, connectionString, counter);
        return builder.Options;
    }
}
