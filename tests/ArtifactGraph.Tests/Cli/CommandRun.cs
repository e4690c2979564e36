using System.CommandLine;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Cli;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace ArtifactGraph.Tests.Cli;

/// <summary>Runs the server's commands in process, as the command line does, with settings given as environment variables.</summary>
internal static class CommandRun
{
    /// <summary>The settings that point a command at a test database (and at its storage folder).</summary>
    public static (string Key, string Value)[] Settings(TestDatabase db) => db.Client == DatabaseClient.Sqlite
        ? [("DB_CLIENT", "sqlite3"), ("DB_FILENAME", new SqliteConnectionStringBuilder(db.ConnectionString).DataSource), ("STORAGE_LOCAL_ROOT", db.Settings.StorageLocalRoot)]
        : [("DB_CLIENT", "pg"), ("DB_CONNECTION_STRING", db.ConnectionString), ("STORAGE_LOCAL_ROOT", db.Settings.StorageLocalRoot)];

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync((string Key, string Value)[] settings, params string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        var (output, error) = (new StringWriter(), new StringWriter());
        var exitCode = await CommandLineApp.RunAsync(args, configuration, new InvocationConfiguration { Output = output, Error = error }, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }
}
