using ArtifactGraph.Data;
using ArtifactGraph.Data.Diagnostics;
using ArtifactGraph.Data.Import;
using ArtifactGraph.Data.Migrations;
using ArtifactGraph.Server.Cli;
using ArtifactGraph.Server.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ArtifactGraph.Tests.Infrastructure;

/// <summary>
/// A database owned by one test: a fresh PostgreSQL database (in the server named by <c>AG_TEST_PG</c>)
/// or a fresh SQLite file, migrated, with its own storage folder; all dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "AG_TEST_PG";

    private readonly string _directory;
    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;

    private TestDatabase(DatabaseClient client, string connectionString, string directory, string? adminConnectionString, string? databaseName)
    {
        Client = client;
        ConnectionString = connectionString;
        _directory = directory;
        _adminConnectionString = adminConnectionString;
        _databaseName = databaseName;
        Settings = new ServerSettings
        {
            DbClient = client,
            ConnectionString = connectionString,
            StorageLocalRoot = Path.Combine(directory, "uploads"),
            AdminEmail = "admin@example.com",
            DbThreadSafetyChecks = true,
            QueryFirstBatchSize = BatchSize,
            QueryBatchSize = BatchSize,
        };
    }

    /// <summary>
    /// The root rows per batch of a large answer in the tests, the first one included (<c>QUERY_BATCH_SIZE</c> and
    /// <c>QUERY_FIRST_BATCH_SIZE</c>, here and in the servers the tests start): a few thousand rows make several batches.
    /// </summary>
    public const int BatchSize = 1000;

    public DatabaseClient Client { get; }

    public string ConnectionString { get; }

    /// <summary>Settings pointing at this database and at a storage folder of its own.</summary>
    public ServerSettings Settings { get; }

    /// <summary>Counts the statements of the contexts made by <see cref="CreateContext"/>.</summary>
    public StatementCounter Statements { get; } = new();

    /// <param name="migrate">False leaves the database empty (to prepare it as Directus would first).</param>
    public static async Task<TestDatabase> CreateAsync(DatabaseClient client, bool migrate = true)
    {
        var directory = Path.Combine(Path.GetTempPath(), "artifactgraph-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        TestDatabase database;
        if (client == DatabaseClient.Sqlite)
        {
            var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "test.db") }.ConnectionString;
            database = new TestDatabase(client, connectionString, directory, null, null);
        }
        else
        {
            var admin = Environment.GetEnvironmentVariable(PostgresVariable);
            if (string.IsNullOrWhiteSpace(admin))
            {
                throw new InvalidOperationException("AG_TEST_PG is not set: run tests/run-tests.sh, which starts a private PostgreSQL");
            }

            var name = "ag_test_" + Guid.NewGuid().ToString("N");
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await command.ExecuteNonQueryAsync();
            }

            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
            database = new TestDatabase(client, connectionString, directory, admin, name);
        }

        if (migrate)
        {
            database.Migrate();
        }

        return database;
    }

    public IReadOnlyList<string> Migrate() => DatabaseMigrator.Migrate(Client, ConnectionString);

    public ArtifactGraphDbContext CreateContext()
        => new(ArtifactGraphDbOptions.Create(Client, ConnectionString, Statements));

    /// <summary>Imports a document (and uploads) with the code of the <c>import</c> command.</summary>
    public Task<ImportResult> ImportAsync(string jsonFilePath, string? uploadsDir = null)
        => ImportRunner.RunAsync(Settings, jsonFilePath, uploadsDir, TextWriter.Null, CancellationToken.None);

    /// <summary>Writes an import document next to this database's storage folder; returns its path.</summary>
    public async Task<string> WriteImportDocumentAsync(string json)
    {
        var path = Path.Combine(Path.GetDirectoryName(Settings.StorageLocalRoot)!, $"import-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, json);
        return path;
    }

    /// <summary>The reference data: the oracle administrator, then seed-data.json and its uploads.</summary>
    public async Task ImportSeedAsync()
    {
        await ImportAsync(SharedPaths.Fixture("oracle-admin.json"));
        await ImportAsync(SharedPaths.SeedData, SharedPaths.Uploads);
    }

    /// <summary>Runs raw SQL (several statements allowed) outside EF.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var db = CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of every row of a query, as text.</summary>
    public async Task<List<string?>> QueryAsync(string sql)
    {
        await using var db = CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string?>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return values;
    }

    public async Task<long> CountAsync(string table)
        => long.Parse((await QueryAsync($"SELECT COUNT(*) FROM \"{table}\""))[0]!, System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (Client == DatabaseClient.Sqlite)
        {
            ClearSqlitePool(ConnectionString);
            ClearSqlitePool(SqliteConnections.Normalize(ConnectionString));
        }
        else
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere: the temp folder is cleaned by the system later.
        }
    }

    private static void ClearSqlitePool(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
