using System.CommandLine;
using ArtifactGraph.Data.Import;
using ArtifactGraph.Data.Migrations;
using ArtifactGraph.Server.Configuration;

namespace ArtifactGraph.Server.Cli;

/// <summary>The server's commands other than serving (today: <c>import</c>). Program.cs hands them the arguments.</summary>
public static class CommandLineApp
{
    public static bool Handles(string[] args) => args is ["import", ..];

    public static Task<int> RunAsync(string[] args) => Build().Parse(args).InvokeAsync();

    public static RootCommand Build()
    {
        var file = new Argument<FileInfo>("file") { Description = "A JSON document: collection name → array of rows (as seed-data.json)." };
        var uploads = new Option<DirectoryInfo?>("--uploads") { Description = "A folder of files named by filename_disk, copied into STORAGE_LOCAL_ROOT." };
        var import = new Command("import", "Load rows (and their files) into the database, all or nothing.") { file, uploads };
        import.SetAction((parse, ct) => ImportAsync(parse.GetValue(file)!.FullName, parse.GetValue(uploads)?.FullName, ct));
        return new RootCommand("ArtifactGraph, a Directus-compatible GraphQL server. Without a command it serves.") { import };
    }

    private static async Task<int> ImportAsync(string file, string? uploads, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonFile("appsettings.json", optional: true)
                .AddEnvironmentVariables()
                .Build();
            await ImportRunner.RunAsync(SettingsLoader.Load(configuration), file, uploads, Console.Out, cancellationToken);
            return 0;
        }
        catch (Exception ex) when (ex is ImportException or SettingsException or DatabaseMigrationException)
        {
            await Console.Error.WriteLineAsync($"Import failed: {ex.Message}");
            return 1;
        }
    }
}
