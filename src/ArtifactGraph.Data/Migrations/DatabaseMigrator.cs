using System.Reflection;
using DbUp;
using DbUp.Builder;
using DbUp.Engine;
using Microsoft.Data.Sqlite;

namespace ArtifactGraph.Data.Migrations;

/// <summary>
/// Applies the numbered SQL scripts of <c>schema/migrations/&lt;dialect&gt;/</c> (embedded in this assembly)
/// through DbUp. The journal is <c>artifactgraph_migrations</c>, so it never meets Directus's own
/// <c>directus_migrations</c>; the scripts only add what is missing, so they also run on a database
/// whose tables Directus created. On PostgreSQL the whole run holds an advisory lock
/// (<see cref="PostgresMigrationLock"/>), so any number of servers may start together on one database.
/// </summary>
public static class DatabaseMigrator
{
    public const string JournalTable = "artifactgraph_migrations";

    private const string ResourcePrefix = "ArtifactGraph.Data.Migrations.Scripts.";

    /// <summary>Brings the database up to date; returns the names of the scripts it ran (none when already current).</summary>
    /// <exception cref="DatabaseMigrationException">A script failed; nothing of that script was kept.</exception>
    public static IReadOnlyList<string> Migrate(DatabaseClient client, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        UpgradeEngineBuilder builder;
        if (client == DatabaseClient.Sqlite)
        {
            SqliteConnections.Prepare(connectionString);
            builder = DeployChanges.To.SqliteDatabase(SqliteConnections.Normalize(connectionString)).JournalToSqliteTable(JournalTable);
        }
        else
        {
            builder = DeployChanges.To.PostgresqlDatabase(connectionString).JournalToPostgresqlTable("public", JournalTable);
        }

        var dialect = client == DatabaseClient.Sqlite ? "sqlite" : "postgres";
        var engine = builder
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.StartsWith(ResourcePrefix + dialect + ".", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            .LogToNowhere()
            .Build();

        DatabaseUpgradeResult result;
        try
        {
            using var runAlone = client == DatabaseClient.Postgres ? PostgresMigrationLock.Acquire(connectionString) : null;
            result = engine.PerformUpgrade();
        }
        catch (Exception ex)
        {
            throw new DatabaseMigrationException($"Migrating the {dialect} database failed: {ex.Message}", null, ex);
        }

        if (!result.Successful)
        {
            var script = result.ErrorScript?.Name.Replace(ResourcePrefix, "", StringComparison.Ordinal);
            throw new DatabaseMigrationException(
                $"Migrating the {dialect} database failed in {script ?? "(unknown script)"}: {result.Error?.Message}",
                script,
                result.Error);
        }

        return result.Scripts.Select(s => s.Name.Replace(ResourcePrefix, "", StringComparison.Ordinal)).ToList();
    }
}
