namespace ArtifactGraph.Bench.Scenarios;

/// <param name="DirectusRequestsPerSecond">Directus 12.4.1's throughput for the same query on this machine (perf-directus.md).</param>
/// <param name="RestPath">For a REST read: the <c>GET</c> path and query string sent instead of the GraphQL query.</param>
public sealed record PerfQuery(string Key, string Label, string Query, double DirectusRequestsPerSecond, string? RestPath = null)
{
    /// <summary>The request this query sends.</summary>
    public Load.GraphQLPost Request() => RestPath is { } path ? Load.GraphQLPost.Get(path) : new Load.GraphQLPost(Query);
}

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

        // Query (a) over REST, measured beside its GraphQL form. Directus's figure is derived: its REST form ran 1.42 times
        // as fast as its GraphQL form back to back on this machine (16 connections, 2 × 10 s each), times (a)'s 150.
        new(
            "rest-a",
            "(rest-a) GET /items/artifact_versions, the fields of (a)",
            "GET /items/artifact_versions?fields=id,status,files.sort,files.directus_files_id.id,files.directus_files_id.filename_download,primary_file_id.id&limit=100",
            213,
            "items/artifact_versions?fields=id,status,files.sort,files.directus_files_id.id,files.directus_files_id.filename_download,primary_file_id.id&limit=100"),
    ];
}
