namespace ArtifactGraph.Bench.Scenarios;

/// <param name="DirectusRequestsPerSecond">Directus 12.4.1's throughput for the same query on this machine (perf-directus.md).</param>
public sealed record PerfQuery(string Key, string Label, string Query, double DirectusRequestsPerSecond);

/// <summary>The two nested queries of perf-directus.md, exactly as Directus was measured with them.</summary>
public static class PerfQueries
{
    public static IReadOnlyList<PerfQuery> All { get; } =
    [
        new(
            "a",
            "(a) artifact_versions + files + primary_file",
            "{ artifact_versions(limit: 100) { id status files { sort directus_files_id { id filename_download } } primary_file_id { id } } }",
            150),
        new(
            "b",
            "(b) tasks + artifacts + artifact_version",
            "{ tasks { id title status artifacts { sort artifact_version_id { id schema_key version status } } } }",
            180),
    ];
}
