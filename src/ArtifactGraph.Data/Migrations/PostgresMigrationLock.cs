using Npgsql;

namespace ArtifactGraph.Data.Migrations;

/// <summary>
/// PostgreSQL's session-level advisory lock on a fixed key, held on a connection of its own for a whole migration
/// run, so that nodes started together migrate one at a time: the others wait here, then find nothing to apply.
/// The connection is not pooled, so the lock also goes if the process dies or the unlock fails (the session ends).
/// </summary>
internal sealed class PostgresMigrationLock : IDisposable
{
    /// <summary>The advisory lock's key ("AGMIGRAT" in ASCII); any other user of advisory locks must avoid it.</summary>
    public const long Key = 0x41474D4947524154;

    private readonly NpgsqlConnection _connection;

    private PostgresMigrationLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>Waits (without a time limit) until no other migration holds the lock, then takes it.</summary>
    public static PostgresMigrationLock Acquire(string connectionString)
    {
        // Multiplexing (a setting of DB_CONNECTION_STRING) needs pooling, and this session must be the connection's own.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Multiplexing = false, CommandTimeout = 0 };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            connection.Open();
            Execute(connection, "SELECT pg_advisory_lock(@key)");
            return new PostgresMigrationLock(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            Execute(_connection, "SELECT pg_advisory_unlock(@key)");
        }
        catch (NpgsqlException)
        {
            // The session is gone, and the lock with it.
        }
        finally
        {
            _connection.Dispose();
        }
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", Key);
        command.ExecuteScalar();
    }
}
