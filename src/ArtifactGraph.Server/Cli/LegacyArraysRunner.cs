using ArtifactGraph.Data;
using ArtifactGraph.Data.Legacy;
using ArtifactGraph.Data.Migrations;
using ArtifactGraph.Server.Configuration;

namespace ArtifactGraph.Server.Cli;

/// <summary>What <c>migrate-legacy-arrays [--drop-columns]</c> does: migrate the schema, move the arrays, print a summary.</summary>
public static class LegacyArraysRunner
{
    /// <exception cref="LegacyMigrationException">The database refused a statement; nothing was changed.</exception>
    public static async Task<LegacyArrayResult> RunAsync(ServerSettings settings, bool dropColumns, TextWriter output, CancellationToken cancellationToken)
    {
        DatabaseMigrator.Migrate(settings.DbClient, settings.ConnectionString);

        LegacyArrayResult result;
        await using (var db = new ArtifactGraphDbContext(ArtifactGraphDbOptions.Create(settings.DbClient, settings.ConnectionString)))
        {
            result = await LegacyArrayMigrator.MigrateAsync(db, dropColumns, cancellationToken);
        }

        await WriteSummaryAsync(result, output);
        return result;
    }

    private static async Task WriteSummaryAsync(LegacyArrayResult result, TextWriter output)
    {
        if (result.NothingToDo)
        {
            await output.WriteLineAsync("No legacy array columns (artifact_versions.file_ids, tasks.artifact_version_ids): nothing to do.");
            return;
        }

        foreach (var column in result.Columns)
        {
            var primaries = column.PrimaryFilesSet is { } set ? $", {set} primary files set" : "";
            await output.WriteLineAsync(
                $"{column.Column}: {column.RowsScanned} rows scanned, {column.LinksCreated} links created, {column.LinksPresent} already present{primaries}, {column.Skipped.Count} skipped");
            foreach (var skipped in column.Skipped)
            {
                await output.WriteLineAsync($"  skipped {skipped.Value} in row {skipped.Row}: {skipped.Reason}");
            }
        }

        if (result.ColumnsDropped)
        {
            await output.WriteLineAsync($"Dropped {string.Join(", ", result.Columns.Select(c => c.Column))}.");
        }
    }
}
