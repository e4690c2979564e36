using ArtifactGraph.Bench.Seeding;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>
/// The reads a project UI sends, on a generated data set (see <see cref="SeedShape"/>): beside the two nested queries of
/// perf-directus.md, a project's newest versions, the approved version of each of its paths, one path's history, a
/// task's artifacts, search, counts by status, and REST forms of some. Each names rows that exist at every size: the
/// first project, its first path and the first task.
/// </summary>
public static class FrontendQueries
{
    private static readonly string Project = SeedShape.ProjectId(0);
    private static readonly string Path = SeedWriter.PathKey(0);
    private static readonly string Task = SeedShape.TaskId(0);
    private static readonly string VersionFields = "id status schema_key version files { sort directus_files_id { id filename_download } } primary_file_id { id }";

    public static IReadOnlyList<PerfQuery> All { get; } =
    [
        .. PerfQueries.All,
        Query(
            "latest",
            "latest versions of all projects, newest first",
            $"{{ artifact_versions(sort: [\"-date_created\"], limit: 100) {{ {VersionFields} }} }}"),
        Query(
            "project-latest",
            "a project's versions, newest first",
            $"{{ artifact_versions(filter: {{ project_id: {{ id: {{ _eq: \"{Project}\" }} }} }}, sort: [\"-date_created\"], limit: 100) {{ {VersionFields} }} }}"),
        Query(
            "approved",
            "the approved version of every path of a project",
            $"{{ artifact_versions(filter: {{ project_id: {{ id: {{ _eq: \"{Project}\" }} }}, status: {{ _eq: \"approved\" }} }}, sort: [\"schema_key\"], limit: -1) {{ id schema_key version content }} }}"),
        Query(
            "path-history",
            "all versions of one path, by version descending",
            $"{{ artifact_versions(filter: {{ project_id: {{ id: {{ _eq: \"{Project}\" }} }}, schema_key: {{ _eq: \"{Path}\" }} }}, sort: [\"-version\"], limit: -1) {{ id version status date_created }} }}"),
        Query(
            "path-drafts",
            "one path's drafts (the issue's filter)",
            $"{{ artifact_versions(filter: {{ schema_key: {{ _eq: \"{Path}\" }}, status: {{ _eq: \"draft\" }} }}, limit: 20) {{ id version }} }}"),
        Query(
            "task",
            "a task's artifacts with their files",
            $"{{ tasks_by_id(id: \"{Task}\") {{ id title artifacts {{ sort artifact_version_id {{ {VersionFields} }} }} }} }}"),
        Query(
            "search",
            "search, 20 versions",
            $"{{ artifact_versions(search: \"{Path}\", limit: 20) {{ id schema_key version }} }}"),
        Query(
            "counts",
            "a project's versions counted by status",
            $"{{ artifact_versions_aggregated(filter: {{ project_id: {{ id: {{ _eq: \"{Project}\" }} }} }}, groupBy: [\"status\"]) {{ group count {{ id }} }} }}"),
        Rest(
            "rest-project-latest",
            "REST: a project's versions, newest first",
            $"items/artifact_versions?filter[project_id][_eq]={Project}&sort=-date_created&limit=100"
                + "&fields=id,status,schema_key,version,files.sort,files.directus_files_id.id,files.directus_files_id.filename_download,primary_file_id.id"),
        Rest(
            "rest-path-history",
            "REST: one path's versions, by version descending",
            $"items/artifact_versions?filter[project_id][_eq]={Project}&filter[schema_key][_eq]={Uri.EscapeDataString(Path)}&sort=-version&limit=-1&fields=id,version,status,date_created"),
    ];

    private static PerfQuery Query(string key, string label, string query) => new(key, $"({key}) {label}", query, 0);

    private static PerfQuery Rest(string key, string label, string path) => new(key, $"({key}) {label}", "GET /" + path, 0, path);
}
