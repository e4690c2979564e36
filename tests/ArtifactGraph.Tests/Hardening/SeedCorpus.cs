using System.Text.Json;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>A valid document to start from: the route, the text, its variables (raw JSON) if any.</summary>
internal sealed record CorpusDocument(string Name, string Path, string Query, string? VariablesJson = null);

/// <summary>
/// The valid documents the generator mutates: the reads of Directus's recorded cases (their mutations create rows, so
/// they stay out), nested reads of our own, and mutations that are write-safe by construction: updates and deletes of
/// keys no row has, creates whose key is not a valid key.
/// </summary>
internal sealed class SeedCorpus
{
    private const string Missing = HostileInputs.MissingUuid;
    private const string MissingInt = HostileInputs.MissingInt;

    private SeedCorpus(List<CorpusDocument> queries)
    {
        Queries = queries;
    }

    public IReadOnlyList<CorpusDocument> Queries { get; }

    public IReadOnlyList<CorpusDocument> Mutations { get; } =
    [
        new("update-task", "/graphql", $$"""mutation { update_tasks_item(id: "{{Missing}}", data: { title: "x", status: "done" }) { id title } }"""),
        new("update-tasks", "/graphql", $$"""mutation { update_tasks_items(ids: ["{{Missing}}", "not-a-uuid"], data: { status: "blocked" }) { id status } }"""),
        new("update-tasks-batch", "/graphql", $$"""mutation { update_tasks_batch(data: [{ id: "{{Missing}}", title: "a" }, { id: "{{HostileInputs.OtherMissingUuid}}", title: "b" }]) { id } }"""),
        new("update-project", "/graphql", $$"""mutation { update_projects_item(id: "{{Missing}}", data: { name: "x", context: { a: [1, 2] }, context_version: 4 }) { id context } }"""),
        new("update-version", "/graphql", $$"""mutation { update_artifact_versions_item(id: "{{Missing}}", data: { status: "approved", version: 2 }) { id status files { id } } }"""),
        new("update-approvals", "/graphql", $$"""mutation { update_artifact_approvals_items(ids: [{{MissingInt}}, "x"], data: { context_version: 2 }) { id } }"""),
        new("update-files-batch", "/graphql", $$"""mutation { update_artifact_files_batch(data: [{ id: {{MissingInt}}, sort: 3 }]) { id sort } }"""),
        new("delete-task", "/graphql", $$"""mutation { delete_tasks_item(id: "{{Missing}}") { id } }"""),
        new("delete-tasks", "/graphql", $$"""mutation { delete_tasks_items(ids: ["{{Missing}}", "{{HostileInputs.OtherMissingUuid}}"]) { ids } }"""),
        new("delete-approval", "/graphql", $$"""mutation { delete_artifact_approvals_item(id: {{MissingInt}}) { id } }"""),
        new("delete-junctions", "/graphql", $$"""mutation { delete_task_artifacts_items(ids: [{{MissingInt}}, 987654322]) { ids } }"""),
        new("two-mutations", "/graphql", $$"""mutation M { a: delete_projects_item(id: "{{Missing}}") { id } b: update_tasks_item(id: "{{Missing}}", data: { title: "x" }) { id } }"""),
        new("update-file", "/graphql/system", $$"""mutation { update_files_item(id: "{{Missing}}", data: { description: "x", title: "y" }) { id description } }"""),
        new("delete-files", "/graphql/system", $$"""mutation { delete_files_items(ids: ["{{Missing}}"]) { ids } }"""),
        new("update-user", "/graphql/system", $$"""mutation { update_users_item(id: "{{Missing}}", data: { token: "pwned", email: "x@example.com" }) { id } }"""),
        new("delete-role", "/graphql/system", $$"""mutation { delete_roles_item(id: "{{Missing}}") { id } }"""),
        new("update-folders-batch", "/graphql/system", $$"""mutation { update_folders_batch(data: [{ id: "{{Missing}}", name: "x" }]) { id } }"""),
        new("create-task-bad-key", "/graphql", """mutation { create_tasks_item(data: { id: "' OR 1=1 --", title: "x" }) { id } }"""),
        new("create-approval-bad-key", "/graphql", """mutation { create_artifact_approvals_item(data: { id: "abc", context_version: 1 }) { id } }"""),
        new("create-user-bad-key", "/graphql/system", """mutation { create_users_item(data: { id: "'; DROP TABLE directus_users; --", email: "x@example.com", token: "t" }) { id } }"""),
    ];

    /// <summary>Nested reads of our own, on top of the recorded cases.</summary>
    private static readonly CorpusDocument[] OwnQueries =
    [
        new("own-deep-versions", "/graphql", """{ artifact_versions(filter: { project_id: { name: { _eq: "Apollo" } } }, sort: ["-version", "id"], limit: 3) { id version project_id { name context } files(sort: ["sort"]) { sort directus_files_id { id filename_download uploaded_by { email role { name } } } } } }"""),
        new("own-tasks-or", "/graphql", """{ tasks(sort: "title", filter: { _or: [{ status: { _eq: "todo" } }, { artifacts: { _some: { artifact_version_id: { status: { _eq: "approved" } } } } }] }) { id title artifacts(sort: "sort") { artifact_version_id { id schema_key files_func { count } } } } }"""),
        new("own-aggregate", "/graphql", """{ artifact_versions_aggregated(groupBy: ["project_id", "status"], filter: { version: { _gte: 1 } }, sort: ["-count.id", "status"], limit: 5) { group countAll count { id } max { version } } }"""),
        new("own-by-version", "/graphql", """{ artifact_versions_by_version(version: "main", id: "bbbbbbbb-0000-4000-8000-000000000001") { id status } }"""),
        new("own-fragments", "/graphql", """query Q { ...Root } fragment Root on Query { p: projects(sort: "name") { ...P } } fragment P on projects { id name tasks: __typename } """),
        new("own-directives", "/graphql", """query D($skip: Boolean!) { tasks(limit: 2, sort: "id") { id title @skip(if: $skip) project_id @include(if: true) { name } } }""", """{"skip":false}"""),
        new("own-cycle", "/graphql", """{ artifact_versions(limit: 2, sort: "id") { id files(limit: 2) { artifact_version_id { id files(limit: 1) { artifact_version_id { id project_id { name } } } } } } }"""),
        new("own-task-cycle", "/graphql", """{ tasks(limit: 2, sort: "id") { id artifacts(limit: 2) { task_id { id artifacts(limit: 1) { task_id { title } } } } } }"""),
        new("own-approvals", "/graphql", """{ artifact_approvals(sort: "-id", filter: { approved_at_func: { year: { _gte: 2000 } } }) { id approved_at_func { year month } artifact_version_id { id } } }"""),
        new("own-introspection", "/graphql", """{ __type(name: "tasks") { name fields { name type { name kind ofType { name } } } } }"""),
        new("own-variables", "/graphql", """query V($id: ID!, $f: tasks_filter, $l: Int = 2) { tasks_by_id(id: $id) { id title } tasks(filter: $f, limit: $l) { id } }""", """{"id":"aaaaaaaa-0000-4000-8000-000000000001","f":{"status":{"_in":["todo","done"]}}}"""),
        new("own-system-files", "/graphql/system", """{ files(sort: ["-filesize", "id"], filter: { _and: [{ type: { _nnull: true } }, { filesize: { _gt: "0" } }] }) { id filename_download folder { id name parent { id } } uploaded_by { id email role { id name } } } }"""),
        new("own-system-users", "/graphql/system", """{ users(sort: "email") { id email first_name role { name admin_access } } users_me { id email } }"""),
        new("own-system-aggregate", "/graphql/system", """{ files_aggregated(groupBy: ["year(created_on)"]) { group countAll sum { filesize } avg { filesize } } }"""),
    ];

    public static SeedCorpus Load()
    {
        var queries = new List<CorpusDocument>();
        foreach (var file in Directory.GetFiles(Path.Combine(SharedPaths.DirectusReference, "cases"), "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var root = document.RootElement;
            if (root.GetProperty("auth").GetString() != "admin"
                || !root.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String
                || query.GetString()!.TrimStart().StartsWith("mutation", StringComparison.Ordinal))
            {
                continue;
            }

            var variables = root.TryGetProperty("variables", out var v) && v.ValueKind == JsonValueKind.Object ? v.GetRawText() : null;
            queries.Add(new CorpusDocument(Path.GetFileNameWithoutExtension(file), root.GetProperty("endpoint").GetString()!, query.GetString()!, variables));
        }

        queries.AddRange(OwnQueries);
        return new SeedCorpus(queries);
    }
}
