using static ArtifactGraph.Tests.Hardening.RequestBuilder;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>A collection as the query templates use it: its route, a text field, a number field, a date field.</summary>
internal sealed record Target(string Path, string Root, string FilterType, string Text, string? Number, string? Date);

/// <summary>Admin requests built on the query language: mutated documents, hostile filter/sort/groupBy/search, odd values, wrong variables.</summary>
internal sealed class QueryCategories(Random random, SeedCorpus corpus)
{
    public static readonly Target[] Targets =
    [
        new("/graphql", "tasks", "tasks_filter", "title", null, null),
        new("/graphql", "projects", "projects_filter", "name", "context_version", "date_created"),
        new("/graphql", "artifact_versions", "artifact_versions_filter", "schema_key", "version", "date_created"),
        new("/graphql", "artifact_approvals", "artifact_approvals_filter", "id", "context_version", "approved_at"),
        new("/graphql", "artifact_files", "artifact_files_filter", "id", "sort", null),
        new("/graphql/system", "files", "directus_files_filter", "filename_download", "width", "created_on"),
        new("/graphql/system", "users", "directus_users_filter", "email", null, null),
    ];

    private static readonly string[] Operators =
    [
        "_eq", "_neq", "_in", "_nin", "_gt", "_gte", "_lt", "_lte", "_between", "_nbetween", "_contains", "_ncontains", "_icontains",
        "_starts_with", "_nstarts_with", "_ends_with", "_null", "_nnull", "_empty", "_nempty", "_some", "_none", "_regex", "_foo",
    ];

    private readonly QueryMutator _mutator = new(random);

    public IEnumerable<BadRequest> MutatedQueries(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var document = corpus.Queries[random.Next(corpus.Queries.Count)];
            var mutated = _mutator.Mutate(document.Query, writeSafe: false, valuesOnly: i % 3 == 0);
            yield return Post("mutated-query", Identity.Admin, document.Path, mutated, document.VariablesJson);
        }
    }

    public IEnumerable<BadRequest> HostileFilters(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var t = Pick(Targets);
            var field = random.Next(3) switch { 0 => t.Text, 1 => t.Number ?? t.Text, _ => Pick(HostileInputs.Names) };
            var value = random.Next(2) == 0 ? Pick(HostileInputs.ValueLiterals) : QueryMutator.Quote(Pick(HostileInputs.SqlFragments));
            yield return (i % 3) switch
            {
                0 => Post("hostile-filter", Identity.Admin, t.Path, $"{{ {t.Root}(filter: {{ {field}: {{ {Pick(Operators)}: {value} }} }}) {{ id }} }}"),
                1 => Post("hostile-filter", Identity.Admin, t.Path, $"query($f: {t.FilterType}) {{ {t.Root}(filter: $f) {{ id }} }}",
                    Serialize(new Dictionary<string, object> { ["f"] = HostileFilterObject(t) })),
                _ => Post("hostile-filter", Identity.Admin, t.Path,
                    $"query($v: String) {{ {t.Root}(filter: {{ _or: [{{ {t.Text}: {{ {Pick(Operators)}: $v }} }}, {{ {t.Text}: {{ _null: true }} }}] }}) {{ id }} }}",
                    Serialize(new { v = Pick(HostileInputs.SqlFragments) })),
            };
        }
    }

    public IEnumerable<BadRequest> HostileSorts(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var t = Pick(Targets);
            var entries = Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(4) == 0 ? Pick(HostileInputs.SqlFragments) : Pick(HostileInputs.SortPaths)).ToList();
            yield return (i % 3) switch
            {
                0 => Post("hostile-sort", Identity.Admin, t.Path, $"{{ {t.Root}(sort: [{string.Join(", ", entries.Select(QueryMutator.Quote))}]) {{ id }} }}"),
                1 => Post("hostile-sort", Identity.Admin, t.Path, $"query($s: [String]) {{ {t.Root}(sort: $s, limit: 3) {{ id }} }}", Serialize(new { s = entries })),
                _ => Post("hostile-sort", Identity.Admin, t.Path, $"{{ {t.Root}_aggregated(groupBy: [\"{t.Text}\"], sort: {QueryMutator.Quote(entries[0])}) {{ group countAll }} }}"),
            };
        }
    }

    public IEnumerable<BadRequest> HostileGroupBys(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var t = Pick(Targets);
            var groups = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(4) == 0 ? Pick(HostileInputs.SqlFragments) : Pick(HostileInputs.GroupByPaths)).ToList();
            var fields = $"group countAll count {{ id }} max {{ {t.Number ?? "id"} }}";
            yield return (i % 2) switch
            {
                0 => Post("hostile-groupBy", Identity.Admin, t.Path, $"{{ {t.Root}_aggregated(groupBy: [{string.Join(", ", groups.Select(QueryMutator.Quote))}]) {{ {fields} }} }}"),
                _ => Post("hostile-groupBy", Identity.Admin, t.Path, $"query($g: [String], $s: [String]) {{ {t.Root}_aggregated(groupBy: $g, sort: $s, limit: 5) {{ {fields} }} }}",
                    Serialize(new { g = groups, s = new[] { Pick(HostileInputs.SortPaths), groups[0] } })),
            };
        }
    }

    public IEnumerable<BadRequest> HostileSearches(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var t = Pick(Targets);
            var search = random.Next(3) == 0 ? Pick(HostileInputs.SqlFragments) : Pick(HostileInputs.SearchStrings);
            yield return (i % 2) == 0
                ? Post("hostile-search", Identity.Admin, t.Path, $"{{ {t.Root}(search: {QueryMutator.Quote(search)}, limit: 5) {{ id }} }}")
                : Post("hostile-search", Identity.Admin, t.Path, $"query($q: String) {{ {t.Root}(search: $q, filter: {{ {t.Text}: {{ _nnull: true }} }}) {{ id }} {t.Root}_aggregated(search: $q) {{ countAll }} }}",
                    Serialize(new { q = search }));
        }
    }

    public IEnumerable<BadRequest> HostileValues(int count)
    {
        string[] templates =
        [
            "{{ tasks_by_id(id: {0}) {{ id }} }}",
            "{{ artifact_approvals_by_id(id: {0}) {{ id }} }}",
            "{{ artifact_versions_by_version(version: {0}, id: {0}) {{ id }} }}",
            "{{ tasks(limit: {0}) {{ id }} }}",
            "{{ tasks(offset: {0}, limit: 2) {{ id }} }}",
            "{{ tasks(page: {0}, limit: {0}) {{ id }} }}",
            "{{ artifact_versions(filter: {{ version: {{ _between: {0} }} }}) {{ id }} }}",
            "{{ artifact_versions(filter: {{ date_created: {{ _gt: {0} }} }}) {{ id }} }}",
            "{{ artifact_versions(filter: {{ date_created_func: {{ year: {{ _eq: {0} }} }} }}) {{ id }} }}",
            "{{ tasks(filter: {{ artifacts_func: {{ count: {{ _gte: {0} }} }} }}) {{ id }} }}",
            "{{ projects(filter: {{ context: {{ _null: {0} }} }}) {{ id }} }}",
            "{{ tasks(filter: {{ status: {{ _in: {0} }} }}) {{ id }} }}",
            "{{ tasks(filter: {{ project_id: {{ id: {{ _eq: {0} }} }} }}) {{ id }} }}",
            "{{ artifact_approvals(filter: {{ id: {{ _in: {0} }} }}) {{ id }} }}",
            "{{ artifact_versions_aggregated(limit: {0}) {{ countAll }} }}",
            "{{ tasks_aggregated {{ count {{ artifacts }} countDistinct {{ {0} }} }} }}",
            "{{ projects {{ context_func {{ count }} date_created_func {{ year }} }} artifact_versions(limit: {0}) {{ files_func {{ count }} }} }}",
        ];
        string[] extremes = ["0", "-1", "-2", "1", "2147483647", "-2147483648", "2147483648", "100000", "1e3", "\"1\"", "\"abc\""];
        for (var i = 0; i < count; i++)
        {
            var value = random.Next(3) == 0 ? Pick(extremes) : Pick(HostileInputs.ValueLiterals);
            yield return Post("hostile-values", Identity.Admin, "/graphql", string.Format(System.Globalization.CultureInfo.InvariantCulture, Pick(templates), value));
        }
    }

    public IEnumerable<BadRequest> WrongVariables(int count)
    {
        (string Path, string Query, bool Writes)[] templates =
        [
            ("/graphql", "query($l: Int) { tasks(limit: $l) { id } }", false),
            ("/graphql", "query($l: Int!) { tasks(limit: $l) { id } }", false),
            ("/graphql", "query($id: ID!) { tasks_by_id(id: $id) { id } }", false),
            ("/graphql", "query($s: [String]) { tasks(sort: $s) { id } }", false),
            ("/graphql", "query($q: String) { tasks(search: $q) { id } }", false),
            ("/graphql", "query($f: tasks_filter) { tasks(filter: $f) { id } }", false),
            ("/graphql", "query($f: artifact_versions_filter) { artifact_versions(filter: $f) { id } }", false),
            ("/graphql", "query($v: GraphQLStringOrFloat) { artifact_versions(filter: { version: { _eq: $v } }) { id } }", false),
            ("/graphql", "query($b: Boolean!) { tasks { id @include(if: $b) } }", false),
            ("/graphql", "query($g: [String]!) { tasks_aggregated(groupBy: $g) { group } }", false),
            ("/graphql/system", "query($f: directus_files_filter) { files(filter: $f) { id } }", false),
            ("/graphql", "mutation($d: create_tasks_input!) { create_tasks_item(data: $d) { id } }", true),
            ("/graphql", "mutation($d: [create_artifact_approvals_input!]!) { create_artifact_approvals_items(data: $d) { id } }", true),
            ("/graphql", "mutation($d: update_projects_input!) { update_projects_item(id: \"" + HostileInputs.MissingUuid + "\", data: $d) { id } }", false),
            ("/graphql", "mutation($c: JSON) { update_projects_item(id: \"" + HostileInputs.MissingUuid + "\", data: { context: $c }) { id } }", false),
        ];
        string[] anyValues =
        [
            "\"x\"", "1", "1.5", "-1", "2147483648", "1e308", "true", "null", "[]", "[1]", "[[1]]", "{}", "{\"a\":1}", "{\"_eq\":1}",
            "\"' OR 1=1 --\"", "{\"'; DROP TABLE tasks; --\":{\"_eq\":1}}", "{\"status\":{\"_eq\":{\"x\":1}}}", "{\"_and\":{\"status\":{\"_eq\":1}}}",
            "{\"_or\":[null,1,\"x\",[]]}", "{\"project_id\":{\"tasks\":{\"id\":{\"_eq\":1}}}}", "[\"id\",1,null,{}]", "\"" + new string('9', 400) + "\"",
        ];

        // Values that no input object type accepts, so a create can never run.
        string[] neverAnInput = ["\"x\"", "1", "true", "[1, 2]", "{\"no_such_field\": 1}", "null", "[{\"no_such_field\": 1}]"];
        for (var i = 0; i < count; i++)
        {
            var (path, query, writes) = Pick(templates);
            var variableName = query[(query.IndexOf('$') + 1)..query.IndexOf(':')];
            var value = writes ? Pick(neverAnInput) : Pick(anyValues);
            var variables = (i % 7) switch
            {
                0 => "{}",
                1 => $"{{\"{variableName}\":{value},\"unused\":{Pick(anyValues)}}}",
                2 => $"{{\"\":{value},\"$\":1,\"{variableName}{variableName}\":2}}",
                _ => $"{{\"{variableName}\":{value}}}",
            };
            if (writes && i % 7 is 0 or 2)
            {
                variables = $"{{\"{variableName}\":{value}}}";
            }

            yield return Post("wrong-variables", Identity.Admin, path, query, variables, writes ? Expectation.Error : Expectation.ErrorOrData);
        }
    }

    private Dictionary<string, object?> HostileFilterObject(Target t)
    {
        var key = random.Next(4) switch
        {
            0 => Pick(HostileInputs.SqlFragments),
            1 => Pick(HostileInputs.SortPaths),
            2 => t.Text,
            _ => Pick(HostileInputs.Names),
        };
        object? value = random.Next(5) switch
        {
            0 => new Dictionary<string, object?> { [Pick(Operators)] = Pick(HostileInputs.SqlFragments) },
            1 => new Dictionary<string, object?> { ["_in"] = new object?[] { Pick(HostileInputs.SqlFragments), 1, null, true } },
            2 => new Dictionary<string, object?> { ["uploaded_by"] = new Dictionary<string, object?> { ["token"] = new Dictionary<string, object?> { ["_eq"] = Identity.AdminToken } } },
            3 => new Dictionary<string, object?> { ["_eq"] = new Dictionary<string, object?> { ["_eq"] = 1 } },
            _ => Pick(HostileInputs.SqlFragments),
        };
        return new Dictionary<string, object?> { [key] = value, ["_and"] = new object[] { new Dictionary<string, object?> { [t.Text] = new Dictionary<string, object?> { ["_nnull"] = true } } } };
    }

    private T Pick<T>(IReadOnlyList<T> pool) => pool[random.Next(pool.Count)];
}
