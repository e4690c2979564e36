using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Repository;

/// <summary>A clone of the repository runs its tests on its own: nothing the tests read lies outside it.</summary>
public sealed partial class ReferencePathTests
{
    /// <summary>Every path <see cref="SharedPaths"/> gives, and every reference file the tests name, is inside the repository and exists.</summary>
    [Fact]
    public void SharedPaths_everyReferencePath_resolvesInsideTheRepository()
    {
        var paths = typeof(SharedPaths).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(string) && p.Name != nameof(SharedPaths.RepositoryRoot))
            .Select(p => (Name: p.Name, Path: (string)p.GetValue(null)!))
            .ToList();

        Assert.Contains(paths, p => p.Name == nameof(SharedPaths.DirectusReference));
        Assert.All(paths, p =>
        {
            Assert.True(IsInsideRepository(p.Path), $"SharedPaths.{p.Name} = {p.Path} is outside the repository {SharedPaths.RepositoryRoot}");
            Assert.True(File.Exists(p.Path) || Directory.Exists(p.Path), $"SharedPaths.{p.Name} = {p.Path} does not exist");
        });
        foreach (var folder in new[] { "cases", "rest-cases", "uploads" })
        {
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(SharedPaths.DirectusReference, folder)));
        }
    }

    /// <summary>
    /// No tracked source, script or project file reaches for the team's folder beside the repository; only the script
    /// that refreshes the copy (tests/reference/refresh.sh) may name it.
    /// </summary>
    [Fact]
    public void TrackedFiles_noneReadsTheFolderBesideTheRepository()
    {
        var offenders = TrackedFiles()
            .Where(f => f != "tests/reference/refresh.sh" && !f.StartsWith("tests/reference/directus/", StringComparison.Ordinal))
            .Where(f => Path.GetExtension(f) is ".cs" or ".sh" or ".js" or ".json" or ".csproj" or ".props" or ".yml" or ".sln" || f == ".ci/run")
            .Where(f => ReachesOutside(File.ReadAllText(Path.Combine(SharedPaths.RepositoryRoot, f))))
            .ToList();

        Assert.Empty(offenders);
    }

    // The folder's name is spelled with escapes here, so that this file does not name it itself.
    [Theory]
    [InlineData("Path.Combine(RepositoryRoot, \"..\", \"\u0073hared\", \"directus\")", true)]
    [InlineData("node ..\u002Fshared/directus/run-corpus.js", true)]
    [InlineData("Path.Combine(RepositoryRoot, \"tests\", \"reference\", \"directus\")", false)]
    public void ReachesOutside_recognisesTheFolderBesideTheRepository(string text, bool expected)
        => Assert.Equal(expected, ReachesOutside(text));

    private static bool ReachesOutside(string text) => OutsidePath().IsMatch(text);

    [GeneratedRegex(@"\.\./s[h]ared|""\.\."",\s*""s[h]ared""")]
    private static partial Regex OutsidePath();

    private static bool IsInsideRepository(string path)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(SharedPaths.RepositoryRoot)) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(path).StartsWith(root, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> TrackedFiles()
    {
        var start = new ProcessStartInfo("git", "ls-files -z") { WorkingDirectory = SharedPaths.RepositoryRoot, RedirectStandardOutput = true };
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
        return output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }
}
