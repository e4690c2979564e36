using Microsoft.Data.Sqlite;

namespace ArtifactGraph.Data;

/// <summary>What every SQLite connection of ArtifactGraph needs, in one place.</summary>
public static class SqliteConnections
{
    /// <summary>
    /// Normalises a connection string: foreign keys enforced (Directus relies on them), a private
    /// cache (a shared cache turns lock waits into immediate SQLITE_LOCKED errors).
    /// </summary>
    public static string Normalize(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            Cache = SqliteCacheMode.Private,
        };
        return builder.ToString();
    }

    /// <summary>Creates the directory of the database file, so that a fresh install can start.</summary>
    /// <returns>False for an in-memory database.</returns>
    public static bool EnsureDirectory(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var file = builder.DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            return false;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return true;
    }

    /// <summary>
    /// Run once at start, before anything else opens the file: creates its directory and switches it
    /// to WAL (the journal mode is stored in the file; readers then never wait for the writer).
    /// </summary>
    public static void Prepare(string connectionString)
    {
        if (!EnsureDirectory(connectionString))
        {
            return;
        }

        using var connection = new SqliteConnection(Normalize(connectionString));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }
}
