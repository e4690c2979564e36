using System.CommandLine;
using ArtifactGraph.Data.Import;
using ArtifactGraph.Data.Legacy;
using ArtifactGraph.Data.Migrations;
using ArtifactGraph.Server.Configuration;

namespace ArtifactGraph.Server.Cli;

/// <summary>
/// The server's commands other than serving (<c>import</c>, <c>migrate-legacy-arrays</c>, <c>demo</c>). Program.cs hands
/// them the arguments; tests give their own configuration and writers.
/// </summary>
public static class CommandLineApp
{
    public static bool Handles(string[] args) => args is ["import" or "migrate-legacy-arrays" or "demo", ..];

    public static Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        return RunAsync(args, configuration, new InvocationConfiguration(), CancellationToken.None);
    }

    /// <param name="configuration">Where the settings come from (Directus's variable names).</param>
    /// <param name="invocation">The writers for the output and the errors.</param>
    public static Task<int> RunAsync(string[] args, IConfiguration configuration, InvocationConfiguration invocation, CancellationToken cancellationToken)
        => Build(configuration).Parse(args).InvokeAsync(invocation, cancellationToken);

    public static RootCommand Build(IConfiguration configuration)
    {
        var file = new Argument<FileInfo>("file") { Description = "A JSON document: collection name → array of rows (as seed-data.json)." };
        var uploads = new Option<DirectoryInfo?>("--uploads") { Description = "A folder of files named by filename_disk, copied into STORAGE_LOCAL_ROOT." };
        var import = new Command("import", "Load rows (and their files) into the database, all or nothing.") { file, uploads };
        import.SetAction((parse, ct) => RunCommandAsync(parse, configuration, "Import", (settings, output, token)
            => ImportRunner.RunAsync(settings, parse.GetValue(file)!.FullName, parse.GetValue(uploads)?.FullName, output, token), ct));

        var dropColumns = new Option<bool>("--drop-columns") { Description = "Drop the old array columns once their ids are in the junctions." };
        var legacy = new Command(
            "migrate-legacy-arrays",
            "Move the old JSON array columns (artifact_versions.file_ids, tasks.artifact_version_ids) into artifact_files and task_artifacts, in one transaction.")
        {
            dropColumns,
        };
        legacy.SetAction((parse, ct) => RunCommandAsync(parse, configuration, "migrate-legacy-arrays", (settings, output, token)
            => LegacyArraysRunner.RunAsync(settings, parse.GetValue(dropColumns), output, token), ct));

        var demo = new Command("demo", "Load a small example (a project, its tasks, artifact versions with files, one promotion) into the database.");
        demo.SetAction((parse, ct) => RunCommandAsync(parse, configuration, "demo", DemoRunner.RunAsync, ct));

        return new RootCommand("ArtifactGraph, a Directus-compatible GraphQL server. Without a command it serves.") { import, legacy, demo };
    }

    /// <summary>Loads the settings and runs a command: 0 when it succeeds, 1 with its message on an expected failure.</summary>
    private static async Task<int> RunCommandAsync(
        ParseResult parse, IConfiguration configuration, string name, Func<ServerSettings, TextWriter, CancellationToken, Task> run, CancellationToken cancellationToken)
    {
        try
        {
            await run(SettingsLoader.Load(configuration), parse.InvocationConfiguration.Output, cancellationToken);
            return 0;
        }
        catch (Exception ex) when (ex is ImportException or SettingsException or DatabaseMigrationException or LegacyMigrationException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"{name} failed: {ex.Message}");
            return 1;
        }
    }
}
