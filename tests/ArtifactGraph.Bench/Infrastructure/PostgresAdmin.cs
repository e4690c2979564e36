using Npgsql;

namespace ArtifactGraph.Bench.Infrastructure;

/// <summary>The benchmark's superuser connection: one throwaway database per data set, and facts about the server.</summary>
public sealed class PostgresAdmin(string connectionString)
{
    public string ConnectionString { get; } = connectionString;

    /// <summary>The connection string of <paramref name="database"/> on the same server, as the server under test gets it.</summary>
    public string ConnectionStringFor(string database)
        => new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;

    public Task CreateDatabaseAsync(string name, CancellationToken cancellationToken)
        => ExecuteAsync($"CREATE DATABASE \"{name}\"", cancellationToken);

    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken)
        => ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", cancellationToken);

    /// <summary>Statistics and visibility map up to date, as autovacuum leaves a database that has settled after a bulk load.</summary>
    public async Task VacuumAnalyzeAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A superuser connection to <paramref name="database"/>, open (to seed or check what the server under test cannot be asked for).</summary>
    public async Task<NpgsqlConnection> OpenAsync(string database, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(ConnectionStringFor(database));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task<string> VersionAsync(CancellationToken cancellationToken)
        => (string)(await ScalarAsync("SHOW server_version", cancellationToken))!;

    /// <summary>Whether a commit waits for its WAL to reach the disk: <c>fsync=…, synchronous_commit=…, full_page_writes=…</c>.</summary>
    public async Task<string> DurabilityAsync(CancellationToken cancellationToken)
        => (string)(await ScalarAsync(
            "SELECT 'fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit') || ', full_page_writes=' || current_setting('full_page_writes')",
            cancellationToken))!;

    /// <summary>
    /// The postmaster's process id when PostgreSQL runs on this machine and /proc shows it (the parent of our
    /// backend); null otherwise (a remote server, a container), and then its CPU is not reported.
    /// </summary>
    public async Task<int?> PostmasterPidAsync(CancellationToken cancellationToken)
    {
        if (!ProcFs.IsAvailable)
        {
            return null;
        }

        var backend = Convert.ToInt32(await ScalarAsync("SELECT pg_backend_pid()", cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        var parent = ProcFs.ParentPid(backend);
        var comm = parent is { } p ? ReadComm(p) : null;
        return comm is "postgres" or "postmaster" ? parent : null;
    }

    internal async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static string? ReadComm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
