using System.Globalization;

using ArtifactGraph.Bench.Infrastructure;

namespace ArtifactGraph.Bench.Seeding;

/// <summary>
/// A data set to benchmark on: N generated artifact versions (see <see cref="SeedShape"/>), or <c>directus</c>,
/// Directus's own seed-data.json (12 versions), the data behind the reference figures of perf-directus.md.
/// </summary>
public sealed record DataSet(string Name, SeedShape? Shape)
{
    public const string DirectusName = "directus";

    public static DataSet Parse(string text)
    {
        var value = text.Trim();
        if (value.Equals(DirectusName, StringComparison.OrdinalIgnoreCase))
        {
            return new DataSet(DirectusName, null);
        }

        var multiplier = value.EndsWith('k') ? 1000 : 1;
        var digits = multiplier == 1 ? value : value[..^1];
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? new DataSet((n * multiplier).ToString(CultureInfo.InvariantCulture), new SeedShape(n * multiplier))
            : throw new FormatException($"'{text}' is not a size: a number of artifact versions (1000, 10k) or '{DirectusName}'.");
    }

    /// <summary>The documents to import, in order: the oracle administrator first (its static token is the benchmark's).</summary>
    public async Task<IReadOnlyList<string>> WriteDocumentsAsync(string directory, CancellationToken cancellationToken)
    {
        var admin = Path.Combine(AppContext.BaseDirectory, "Fixtures", "oracle-admin.json");
        if (Shape is null)
        {
            return [admin, BenchPaths.DirectusSeedData];
        }

        var path = Path.Combine(directory, $"seed-{Name}.json");
        await SeedWriter.WriteAsync(path, Shape, cancellationToken);
        return [admin, path];
    }
}
