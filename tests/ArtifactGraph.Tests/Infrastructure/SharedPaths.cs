namespace ArtifactGraph.Tests.Infrastructure;

/// <summary>Finds the repository and the Directus reference data inside it (<c>tests/reference/directus</c>).</summary>
public static class SharedPaths
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    public static string RepositoryRoot => Root.Value;

    public static string DirectusReference
    {
        get
        {
            var path = Path.Combine(RepositoryRoot, "tests", "reference", "directus");
            return Directory.Exists(path)
                ? path
                : throw new DirectoryNotFoundException($"The Directus reference data is missing: expected {path} (see tests/reference/README.md).");
        }
    }

    public static string DirectusDdl => Path.Combine(DirectusReference, "directus-ddl.sql");

    public static string SeedData => Path.Combine(DirectusReference, "seed-data.json");

    public static string Uploads => Path.Combine(DirectusReference, "uploads");

    /// <summary>A fixture copied to the test output (<c>Fixtures/…</c>).</summary>
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ArtifactGraph.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No ArtifactGraph.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
