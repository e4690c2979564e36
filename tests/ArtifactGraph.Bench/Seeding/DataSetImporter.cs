using System.Diagnostics;
using System.Text.RegularExpressions;
using ArtifactGraph.Bench.Infrastructure;

namespace ArtifactGraph.Bench.Seeding;

/// <summary>What loading a data set cost: rows, document size, and the time of the server's <c>import</c> command.</summary>
public sealed record ImportFigures(string DataSet, long Rows, long DocumentBytes, TimeSpan Import, TimeSpan Vacuum)
{
    public double RowsPerSecond => Rows / Import.TotalSeconds;
}

/// <summary>Loads a data set into a fresh database with the server's own <c>import FILE</c> command, then VACUUM ANALYZE.</summary>
public static partial class DataSetImporter
{
    public const string AdminToken = "oracle-admin-token";

    public static async Task<ImportFigures> ImportAsync(
        DataSet dataSet, ServerDll server, PostgresAdmin postgres, string database, string workDirectory, CancellationToken cancellationToken)
    {
        var documents = await dataSet.WriteDocumentsAsync(workDirectory, cancellationToken);
        var environment = ServerEnvironment.For(postgres.ConnectionStringFor(database), workDirectory);
        long rows = 0;
        var import = Stopwatch.StartNew();
        foreach (var document in documents)
        {
            var output = await server.RunAsync(["import", document], environment, workDirectory, cancellationToken);
            var match = ImportedRows().Match(output);
            rows += match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        }

        import.Stop();
        var vacuum = Stopwatch.StartNew();
        await postgres.VacuumAnalyzeAsync(database, cancellationToken);
        return new ImportFigures(dataSet.Name, rows, documents.Sum(d => new FileInfo(d).Length), import.Elapsed, vacuum.Elapsed);
    }

    [GeneratedRegex(@"Imported (\d+) rows")]
    private static partial Regex ImportedRows();
}
