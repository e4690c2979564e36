using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Seeding;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>A fresh PostgreSQL database loaded with one data set, and a work folder (documents, uploads); both removed on dispose unless <c>--keep</c>.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly PostgresAdmin _postgres;

    private readonly bool _keep;

    private BenchDatabase(PostgresAdmin postgres, string name, string workDirectory, bool keep)
    {
        _postgres = postgres;
        _keep = keep;
        Name = name;
        WorkDirectory = workDirectory;
    }

    public string Name { get; }

    public string WorkDirectory { get; }

    public ImportFigures Import { get; private set; } = null!;

    /// <summary>The server's settings for this database, with the extra ones of <c>--server-env</c>.</summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment(BenchOptions options)
        => new Dictionary<string, string>(Infrastructure.ServerEnvironment.For(ConnectionString(options), WorkDirectory))
            .Concat(options.ServerEnvironment)
            .GroupBy(e => e.Key)
            .ToDictionary(g => g.Key, g => g.Last().Value);

    private string ConnectionString(BenchOptions options)
        => _postgres.ConnectionStringFor(Name) + (options.ServerPostgresOptions is { } extra ? ";" + extra : "");

    public static async Task<BenchDatabase> CreateAsync(BenchContext context, DataSet dataSet, CancellationToken cancellationToken)
    {
        var name = $"ag_bench_{dataSet.Name}_{Guid.NewGuid():N}"[..40];
        var work = Path.Combine(Path.GetTempPath(), "artifactgraph-bench", name);
        Directory.CreateDirectory(work);
        await context.Postgres.CreateDatabaseAsync(name, cancellationToken);
        var database = new BenchDatabase(context.Postgres, name, work, context.Options.Keep);
        try
        {
            BenchContext.Progress($"{dataSet.Name}: generating and importing the data set");
            database.Import = await DataSetImporter.ImportAsync(dataSet, context.Server, context.Postgres, name, work, cancellationToken);
            BenchContext.Progress($"{dataSet.Name}: imported {database.Import.Rows:N0} rows in {database.Import.Import.TotalSeconds:0.0} s");
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_keep)
        {
            BenchContext.Progress($"kept database {Name} and folder {WorkDirectory} (--keep)");
            return;
        }

        await _postgres.DropDatabaseAsync(Name, CancellationToken.None);
        Directory.Delete(WorkDirectory, recursive: true);
    }
}
