using ArtifactGraph.Data.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Data;

/// <summary>The one place that points an <see cref="ArtifactGraphDbContext"/> at PostgreSQL or SQLite.</summary>
public static class ArtifactGraphDbOptions
{
    /// <param name="threadSafetyChecks">
    /// EF Core's check that a context is never used by two operations at once. It costs two writes of an
    /// <c>AsyncLocal</c> per row read (each allocating a new execution context: 16 % of the bytes the server allocated
    /// on the benchmark queries), so the server turns it off (<c>DB_THREAD_SAFETY_CHECKS</c>): it creates a context per
    /// batch load and never shares one between parallel resolvers, and the tests run with the check on.
    /// </param>
    public static DbContextOptionsBuilder Configure(
        DbContextOptionsBuilder builder, DatabaseClient client, string connectionString, StatementCounter? counter = null, bool threadSafetyChecks = true)
    {
        builder.EnableThreadSafetyChecks(threadSafetyChecks);
        builder.ReplaceService<Microsoft.EntityFrameworkCore.Storage.IDatabase, Query.PrecompiledShaperDatabase>();
        if (client == DatabaseClient.Sqlite)
        {
            builder.UseSqlite(SqliteConnections.Normalize(connectionString));
        }
        else
        {
            // Reads retry transient faults (a database restarting, a dropped connection); writes never do.
            builder.UseNpgsql(PooledPostgres(connectionString), o => o.ExecutionStrategy(d => new Resilience.ReadRetryingExecutionStrategy(d)));
        }

        if (counter is not null)
        {
            builder.AddInterceptors(counter);
        }

        return builder;
    }

    /// <summary>
    /// Npgsql settings for the server's pool, each applied only where the connection string does not set it:
    /// <list type="bullet">
    /// <item><c>No Reset On Close</c>: the pool sends <c>DISCARD ALL</c> before reusing a connection, one round trip per
    /// batch load (3–4 per nested query). ArtifactGraph leaves no session state behind (no SET or temporary tables;
    /// transactions always end), so the reset is skipped: measured +25 % requests/s on the nested queries.</item>
    /// <item><c>Max Auto Prepare</c>: the statements a server sends again and again (the batch loaders' few shapes) are
    /// prepared on each physical connection after <see cref="AutoPrepareMinUsages"/> uses, so PostgreSQL skips parsing and
    /// planning them: measured about −40 % PostgreSQL CPU per request on the seed's nested queries. Set
    /// <c>Max Auto Prepare=0</c> behind a pooler that cannot hold prepared statements (PgBouncer in transaction mode
    /// before 1.21).</item>
    /// <item><c>Maximum Pool Size</c>: <see cref="DefaultMaxPoolSize"/> instead of Npgsql's 100 (Directus's
    /// <c>DB_POOL__MAX</c> sets it too). The pool bounds how many statements run at once; the others wait their turn in
    /// it. A PostgreSQL backend runs one statement on one core, so statements beyond about two per core only take turns
    /// on the same cores, and the ones the scheduler parks finish late: measured on the 2-core benchmark machine, a pool
    /// of 4 instead of 100 brought the p99 latency of the nested queries at 1k rows from 31–56 ms to 20–26 ms, at the
    /// same requests/s.</item>
    /// </list>
    /// </summary>
    public static string PooledPostgres(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!Sets(builder, "No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        if (!Sets(builder, "Max Auto Prepare") && !Sets(builder, "Auto Prepare Min Usages"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
            builder.AutoPrepareMinUsages = AutoPrepareMinUsages;
        }

        if (!Sets(builder, "Maximum Pool Size"))
        {
            // Never below a Minimum Pool Size the string asks for (Npgsql refuses a minimum above the maximum).
            builder.MaxPoolSize = Math.Max(DefaultMaxPoolSize, builder.MinPoolSize);
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// The pool's default bound: two connections per core of this machine, at least 4 (PostgreSQL usually runs beside
    /// the server or on a machine of its size; set <c>DB_POOL__MAX</c> when it has many more cores).
    /// </summary>
    public static int DefaultMaxPoolSize { get; } = Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>Whether the connection string sets <c>Maximum Pool Size</c> (under any of its names).</summary>
    public static bool SetsMaxPoolSize(string connectionString) => Sets(new Npgsql.NpgsqlConnectionStringBuilder(connectionString), "Maximum Pool Size");

    /// <summary>
    /// Whether the connection string gave <paramref name="keyword"/> (Npgsql's canonical name) a value, under any of
    /// its names and spellings: the builder lists exactly the keywords that were set, by their canonical names.
    /// </summary>
    private static bool Sets(Npgsql.NpgsqlConnectionStringBuilder builder, string keyword)
        => builder.Keys.Cast<string>().Contains(keyword, StringComparer.OrdinalIgnoreCase);

    /// <summary>Distinct statements kept prepared per connection (least recently used ones are replaced).</summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>Uses of one SQL text before it is prepared, so one-off statements (filters typed once) never are.</summary>
    public const int AutoPrepareMinUsages = 3;

    /// <summary>Options for a context created outside dependency injection (the import command, tests).</summary>
    public static DbContextOptions<ArtifactGraphDbContext> Create(DatabaseClient client, string connectionString, StatementCounter? counter = null)
    {
        var builder = new DbContextOptionsBuilder<ArtifactGraphDbContext>();
        Configure(builder, client, connectionString, counter);
        return builder.Options;
    }
}
