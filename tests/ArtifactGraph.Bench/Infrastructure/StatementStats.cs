using Npgsql;

namespace ArtifactGraph.Bench.Infrastructure;

/// <summary>One SQL statement shape (as pg_stat_statements normalises it), how often it ran and its execution time.</summary>
public sealed record StatementShape(string Query, long Calls, double TotalMilliseconds)
{
    /// <summary>
    /// Npgsql's reset of a pooled connection's session state (<c>DISCARD ALL</c>), sent with the first command after the
    /// connection is taken from the pool again: no extra round trip, but work for PostgreSQL on every reuse.
    /// </summary>
    public bool IsConnectionReset => Query.StartsWith("DISCARD ALL", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The statements a database executed since the last reset: all of them, and those that were connection resets.</summary>
public sealed record StatementSample(long Statements, long ConnectionResets, IReadOnlyList<StatementShape> Shapes, string Source)
{
    public static StatementSample From(IReadOnlyList<StatementShape> shapes, string source)
        => new(shapes.Sum(s => s.Calls), shapes.Where(s => s.IsConnectionReset).Sum(s => s.Calls), shapes, source);
}

/// <summary>
/// Counts the SQL statements the server under test sends to its database, from the server's side:
/// <c>pg_stat_statements</c> when the server preloads it (tests/bench.sh does), otherwise the
/// committed and rolled-back transactions of <c>pg_stat_database</c> (each autocommit statement is one).
/// </summary>
public sealed class StatementStats
{
    private readonly PostgresAdmin _admin;
    private readonly bool _statements;
    private long _transactionsAtReset;

    private StatementStats(PostgresAdmin admin, bool statements)
    {
        _admin = admin;
        _statements = statements;
    }

    public string Source => _statements ? "pg_stat_statements" : "pg_stat_database transactions";

    public static async Task<StatementStats> CreateAsync(PostgresAdmin admin, CancellationToken cancellationToken)
    {
        try
        {
            await admin.ExecuteAsync("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", cancellationToken);
            await admin.ScalarAsync("SELECT count(*) FROM pg_stat_statements", cancellationToken);
            return new StatementStats(admin, statements: true);
        }
        catch (PostgresException)
        {
            // Not in shared_preload_libraries (or not installed): fall back to the transaction counters.
            return new StatementStats(admin, statements: false);
        }
    }

    public async Task ResetAsync(string database, CancellationToken cancellationToken)
    {
        if (_statements)
        {
            await WithDatabaseAsync(database, "SELECT pg_stat_statements_reset(0, @db, 0)", _ => Task.CompletedTask, cancellationToken);
        }
        else
        {
            _transactionsAtReset = await TransactionsAsync(database, cancellationToken);
        }
    }

    public async Task<StatementSample> ReadAsync(string database, CancellationToken cancellationToken)
    {
        if (!_statements)
        {
            // Backends publish their counters when idle, at most once a second.
            await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
            return new StatementSample(await TransactionsAsync(database, cancellationToken) - _transactionsAtReset, 0, [], Source);
        }

        var shapes = new List<StatementShape>();
        await WithDatabaseAsync(
            database,
            "SELECT query, calls, total_exec_time FROM pg_stat_statements WHERE dbid = @db ORDER BY calls DESC, query",
            async reader =>
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    shapes.Add(new StatementShape(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2)));
                }
            },
            cancellationToken);
        return StatementSample.From(shapes, Source);
    }

    private async Task<long> TransactionsAsync(string database, CancellationToken cancellationToken)
    {
        long count = 0;
        await WithDatabaseAsync(
            database,
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datid = @db",
            async reader =>
            {
                await reader.ReadAsync(cancellationToken);
                count = reader.GetInt64(0);
            },
            cancellationToken);
        return count;
    }

    private async Task WithDatabaseAsync(string database, string sql, Func<NpgsqlDataReader, Task> read, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_admin.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT oid FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", database);
        var oid = (uint)(await command.ExecuteScalarAsync(cancellationToken))!;
        await using var query = new NpgsqlCommand(sql, connection);
        query.Parameters.Add(new NpgsqlParameter("db", NpgsqlTypes.NpgsqlDbType.Oid) { Value = oid });
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        await read(reader);
    }
}
