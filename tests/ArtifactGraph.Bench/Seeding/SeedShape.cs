namespace ArtifactGraph.Bench.Seeding;

/// <summary>
/// How a generated data set of N artifact versions is made, so that every size has the same proportions:
/// paths (project, schema_key) of four versions each (superseded, approved, pending, draft: one approved per
/// path), one file per version, 1–3 files per version through artifact_files, one task per path linked to
/// 1–4 of its versions, an approval per approved version, and one project per 20,000 versions (at least two: 50 at one million).
/// </summary>
public sealed record SeedShape(int Versions)
{
    public const int VersionsPerPath = 4;

    public static readonly string[] Statuses = ["superseded", "approved", "pending", "draft"];

    public int Paths => (Versions + VersionsPerPath - 1) / VersionsPerPath;

    public int Projects => Math.Max(2, Versions / 20_000);

    public int Files => Versions;

    public int Tasks => Paths;

    /// <summary>How many files version <paramref name="version"/> lists in artifact_files (1–3).</summary>
    public static int FilesOf(int version) => (version % 3) + 1;

    /// <summary>How many versions of its path task <paramref name="task"/> links (1–4, never past the last version).</summary>
    public int LinksOf(int task) => Math.Min((task % VersionsPerPath) + 1, Versions - (task * VersionsPerPath));

    public int ProjectOf(int path) => path % Projects;

    public static string Status(int version) => Statuses[version % VersionsPerPath];

    public static bool HasPrimaryFile(int version) => version % VersionsPerPath != VersionsPerPath - 1;

    public static string ProjectId(int i) => Id("11111111", i);

    public static string TaskId(int i) => Id("aaaaaaaa", i);

    public static string VersionId(int i) => Id("bbbbbbbb", i);

    public static string FileId(int i) => Id("cccccccc", i);

    private static string Id(string prefix, int i) => $"{prefix}-0000-4000-8000-{i:x12}";
}
