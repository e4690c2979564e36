namespace ArtifactGraph.Bench.Seeding;

/// <summary>
/// How a generated data set of N artifact versions is made, so that every size has the same proportions. Paths
/// (project, schema_key) have varying lengths, repeating <see cref="PathLengths"/> (1 to 24 versions, five on average;
/// the first path, the one the frontend's path queries read, is the longest). In a path of one version that version is
/// a draft (never approved); in a longer one the last version is a draft or pending, the one before it approved and the
/// earlier ones superseded, except that in every fifth path the last version is the approved one. Every approved and
/// superseded version has its approval (a superseded version was approved once). One file per version, 1–3 files per
/// version through artifact_files, one task per path linked to the first 1–4 of its versions, and one project per
/// 20,000 versions (at least two: 50 at one million).
/// </summary>
public sealed record SeedShape(int Versions)
{
    /// <summary>The lengths of consecutive paths, repeated; 16 paths of 80 versions.</summary>
    public static readonly int[] PathLengths = [24, 1, 2, 3, 2, 4, 1, 5, 3, 8, 2, 6, 1, 12, 4, 2];

    private static readonly int CycleVersions = PathLengths.Sum();

    // Where each path of a cycle starts, in versions from the cycle's start.
    private static readonly int[] PathStarts = [.. PathLengths.Select((_, i) => PathLengths.Take(i).Sum())];

    /// <summary>How many paths the versions fill (the last one may be cut short).</summary>
    public int Paths => PathOf(Versions - 1).Path + 1;

    public int Projects => Math.Max(2, Versions / 20_000);

    public int Files => Versions;

    public int Tasks => Paths;

    /// <summary>How many files version <paramref name="version"/> lists in artifact_files (1–3).</summary>
    public static int FilesOf(int version) => (version % 3) + 1;

    /// <summary>The first version of <paramref name="path"/>.</summary>
    public static int FirstVersion(int path) => (path / PathLengths.Length * CycleVersions) + PathStarts[path % PathLengths.Length];

    /// <summary>How many versions <paramref name="path"/> has (the last path of the data set may be cut short).</summary>
    public int LengthOf(int path) => Math.Min(PathLengths[path % PathLengths.Length], Versions - FirstVersion(path));

    /// <summary>The path of <paramref name="version"/> and the version's position in it (0 for its first version).</summary>
    public static (int Path, int Position) PathOf(int version)
    {
        var offset = version % CycleVersions;
        var index = Array.FindLastIndex(PathStarts, start => start <= offset);
        return ((version / CycleVersions * PathLengths.Length) + index, offset - PathStarts[index]);
    }

    /// <summary>How many versions of its path task <paramref name="task"/> links (1–4, never past the path's last version).</summary>
    public int LinksOf(int task) => Math.Min((task % 4) + 1, LengthOf(task));

    public int ProjectOf(int path) => path % Projects;

    /// <summary>draft, pending, approved or superseded: see the type's summary.</summary>
    public string Status(int version)
    {
        var (path, position) = PathOf(version);
        var length = LengthOf(path);
        var lastApproved = length > 1 && path % 5 == 4;
        var approved = lastApproved ? length - 1 : length - 2;
        return position == length - 1 && !lastApproved ? (path % 3 == 1 ? "pending" : "draft")
            : position == approved ? "approved"
            : "superseded";
    }

    /// <summary>Whether the version has an approval: the approved one of its path and those it superseded.</summary>
    public bool WasApproved(int version) => Status(version) is "approved" or "superseded";

    public static bool HasPrimaryFile(int version) => version % 4 != 3;

    public static string ProjectId(int i) => Id("11111111", i);

    public static string TaskId(int i) => Id("aaaaaaaa", i);

    public static string VersionId(int i) => Id("bbbbbbbb", i);

    public static string FileId(int i) => Id("cccccccc", i);

    private static string Id(string prefix, int i) => $"{prefix}-0000-4000-8000-{i:x12}";
}
