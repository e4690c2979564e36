namespace ArtifactGraph.Bench.Infrastructure;

/// <summary>Where the benchmark finds the repository, Directus's reference data, and where it writes its results.</summary>
public static class BenchPaths
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    public static string RepositoryRoot => Root.Value;

    /// <summary>Results are kept out of git (see .gitignore).</summary>
    public static string Results => Path.Combine(RepositoryRoot, "tests", "ArtifactGraph.Bench", "results");

    /// <summary>Directus's seed data, in the repository's reference data (<c>tests/reference/directus</c>), as the tests read it.</summary>
    public static string DirectusSeedData => Path.Combine(RepositoryRoot, "tests", "reference", "directus", "seed-data.json");

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ArtifactGraph.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No ArtifactGraph.sln above {AppContext.BaseDirectory}: run the benchmark from the repository.");
    }
}
