using ArtifactGraph.Data;
using ArtifactGraph.Data.Import;
using ArtifactGraph.Data.Migrations;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Invalidation;
using ArtifactGraph.Server.Storage;

namespace ArtifactGraph.Server.Cli;

/// <summary>
/// What <c>import FILE [--uploads DIR]</c> does: migrate, check the uploads, import the rows in one transaction (announcing
/// access collections it wrote to running servers, <see cref="ChangeNotifications"/>), copy the uploads.
/// </summary>
public static class ImportRunner
{
    /// <exception cref="ImportException">An expected failure; the database is unchanged.</exception>
    public static async Task<ImportResult> RunAsync(
        ServerSettings settings, string jsonPath, string? uploadsDirectory, TextWriter output, CancellationToken cancellationToken)
    {
        if (!File.Exists(jsonPath))
        {
            throw new ImportException($"The import file '{jsonPath}' does not exist.");
        }

        DatabaseMigrator.Migrate(settings.DbClient, settings.ConnectionString);

        // The uploads go to the default (first) storage location.
        var uploads = new UploadsCopier(FileStorageLocations.Create(settings).DefaultStorage);
        var toCopy = uploadsDirectory is null ? [] : await uploads.PlanAsync(uploadsDirectory, cancellationToken);

        ImportResult result;
        await using (var db = new ArtifactGraphDbContext(ArtifactGraphDbOptions.Create(settings.DbClient, settings.ConnectionString)))
        await using (var json = File.OpenRead(jsonPath))
        {
            // Servers running meanwhile hear on commit what was imported (every item of each collection, keys unnamed): they
            // drop what they cached about users, roles or permissions, and their data caches purge as after any write.
            result = await JsonImporter.ImportAsync(
                db,
                json,
                (collections, ct) => ChangeNotifications.SendAsync(db, collections.Select(c => new ChangeRecord(c, "create")), ct),
                cancellationToken);
        }

        await uploads.CopyAsync(toCopy, cancellationToken);

        foreach (var (collection, rows) in result.RowsByCollection)
        {
            await output.WriteLineAsync($"{collection}: {rows} rows");
        }

        await output.WriteLineAsync($"Imported {result.TotalRows} rows" + (uploadsDirectory is null ? "." : $" and copied {toCopy.Count} files."));
        return result;
    }
}
