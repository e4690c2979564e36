using static ArtifactGraph.Tests.Hardening.RequestBuilder;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// Identities without admin rights try every way into the collections: root fields, aliases, fragments, introspection,
/// GET, variables, mutations against rows that do exist. Every answer must be an error (a 401 for an unknown token)
/// and must carry no data of a collection the identity may not read.
/// </summary>
internal sealed class ReachCategories(Random random)
{
    private const string Task = "aaaaaaaa-0000-4000-8000-000000000001";
    private const string Project = "11111111-1111-4111-8111-111111111111";
    private const string File = "cccccccc-0000-4000-8000-000000000001";
    private const string AdminUser = "0a000000-0000-4000-8000-000000000001";

    /// <summary>Documents aimed at a root field the identity may not reach, by route.</summary>
    private static readonly (string Path, string RootField, string Query)[] Attempts =
    [
        ("/graphql", "tasks", "{ tasks { id title } }"),
        ("/graphql", "tasks", "{ t: tasks(filter: { title: { _nnull: true } }) { id project_id { name } } }"),
        ("/graphql", "tasks_by_id", $"{{ tasks_by_id(id: \"{Task}\") {{ id title }} }}"),
        ("/graphql", "projects", "{ ... on Query { projects { id name context } } }"),
        ("/graphql", "projects", "query { ...F } fragment F on Query { projects { name } }"),
        ("/graphql", "projects_aggregated", "{ projects_aggregated { countAll } }"),
        ("/graphql", "artifact_versions", "{ artifact_versions(search: \"budget\") { id content } }"),
        ("/graphql", "artifact_versions_by_version", "{ artifact_versions_by_version(id: \"bbbbbbbb-0000-4000-8000-000000000001\", version: \"main\") { id } }"),
        ("/graphql", "artifact_files", "{ artifact_files { directus_files_id { filename_disk } } }"),
        ("/graphql", "task_artifacts_aggregated", "{ task_artifacts_aggregated(groupBy: [\"task_id\"]) { group countAll } }"),
        ("/graphql", "artifact_approvals", "query($l: Int) { artifact_approvals(limit: $l) { id } }"),
        ("/graphql", "tasks", "{ _empty tasks { id } }"),
        ("/graphql", "tasks", "{ __schema { queryType { fields { name } } } tasks { id } }"),
        ("/graphql", "delete_tasks_items", $"mutation {{ delete_tasks_items(ids: [\"{Task}\"]) {{ ids }} }}"),
        ("/graphql", "update_projects_item", $"mutation {{ update_projects_item(id: \"{Project}\", data: {{ name: \"pwned\" }}) {{ id }} }}"),
        ("/graphql", "create_tasks_item", "mutation { create_tasks_item(data: { title: \"pwned\" }) { id } }"),
        ("/graphql", "delete_projects_item", $"mutation {{ delete_projects_item(id: \"{Project}\") {{ id }} }}"),
        ("/graphql/system", "files", "{ files { id filename_disk storage } }"),
        ("/graphql/system", "files_by_id", $"{{ files_by_id(id: \"{File}\") {{ id filename_disk }} }}"),
        ("/graphql/system", "users", "{ users { id email token password } }"),
        ("/graphql/system", "users", "{ users(filter: { token: { _eq: \"oracle-admin-token\" } }) { id } }"),
        ("/graphql/system", "users_me", "{ users_me { id email role { name } } }"),
        ("/graphql/system", "users_by_id", $"{{ users_by_id(id: \"{AdminUser}\") {{ email token }} }}"),
        ("/graphql/system", "roles", "{ roles { id name admin_access } }"),
        ("/graphql/system", "folders", "{ folders { id name } }"),
        ("/graphql/system", "files_aggregated", "{ files_aggregated { countAll sum { filesize } } }"),
        ("/graphql/system", "update_users_item", $"mutation {{ update_users_item(id: \"{AdminUser}\", data: {{ token: \"pwned\" }}) {{ id }} }}"),
        ("/graphql/system", "delete_files_item", $"mutation {{ delete_files_item(id: \"{File}\") {{ id }} }}"),
        ("/graphql/system", "create_users_item", "mutation { create_users_item(data: { email: \"pwned@example.com\", token: \"pwned\" }) { id } }"),
        ("/graphql/system", "tasks", "{ tasks { id } }"),
    ];

    private static readonly string[] Introspection =
    [
        "{ __type(name: \"tasks\") { name fields { name } } }",
        "{ __type(name: \"directus_users\") { name fields { name } } }",
        "{ __schema { types { name } mutationType { name } } }",
        "{ __schema { queryType { fields { name args { name } } } } }",
    ];

    public IEnumerable<BadRequest> For(Identity who)
    {
        foreach (var (path, rootField, query) in Attempts.Where(a => !who.MayReach(a.RootField)))
        {
            yield return Post("forbidden-reach", who, path, query, expect: Expectation.Error) with { ExpectedStatus = RejectedStatus(who) };
        }

        foreach (var query in Introspection)
        {
            yield return Post("forbidden-reach", who, random.Next(2) == 0 ? "/graphql" : "/graphql/system", query) with { ExpectedStatus = RejectedStatus(who) };
        }

        yield return Get("forbidden-reach", who, "/graphql?query=" + Uri.EscapeDataString("{ tasks { id } projects { name } }"), Expectation.Error) with { ExpectedStatus = RejectedStatus(who) };
        yield return Get("forbidden-reach", who, "/graphql/system?query=" + Uri.EscapeDataString("{ users { email } }"), Expectation.Error) with { ExpectedStatus = RejectedStatus(who) };
        yield return Post("forbidden-reach", who, "/graphql", "query($id: ID!) { tasks_by_id(id: $id) { id } }", Serialize(new { id = Task }), Expectation.Error) with { ExpectedStatus = RejectedStatus(who) };
    }

    /// <summary>An unknown static token is refused before anything else; other identities may get a validation error (400) or a 200 with errors.</summary>
    private static int? RejectedStatus(Identity who) => who == Identity.UnknownToken ? 401 : null;
}
