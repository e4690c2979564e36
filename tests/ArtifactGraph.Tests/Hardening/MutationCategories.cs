using static ArtifactGraph.Tests.Hardening.RequestBuilder;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// Hostile mutations sent by the administrator, none of which may change a row (the suite compares every table
/// afterwards). Hand-made ones target only keys no row has (an update or delete of a missing key changes nothing,
/// however hostile the key or the data), or create with a key that is not a valid key, alone or next to a valid item
/// in the same batch (all or nothing). Mutated ones come from <see cref="SeedCorpus.Mutations"/> and are kept only
/// when <see cref="WriteSafety"/> proves they cannot write.
/// </summary>
internal sealed class MutationCategories(Random random, SeedCorpus corpus, KeyGuard keys)
{
    private static readonly (string Path, string Collection, bool IntegerKey)[] Collections =
    [
        ("/graphql", "tasks", false), ("/graphql", "projects", false), ("/graphql", "artifact_versions", false),
        ("/graphql", "artifact_files", true), ("/graphql", "task_artifacts", true), ("/graphql", "artifact_approvals", true),
        ("/graphql/system", "files", false), ("/graphql/system", "users", false), ("/graphql/system", "folders", false), ("/graphql/system", "roles", false),
    ];

    /// <summary>Keys no row has, hostile or not: never a seed key in any spelling (checked against <see cref="KeyGuard"/>).</summary>
    private static readonly string[] MissingKeys =
    [
        HostileInputs.MissingUuid, HostileInputs.OtherMissingUuid, "' OR 1=1 --", "' OR '1'='1", "1 OR 1=1", "id) OR 1=1 --", "*", "%", "",
        "aaaaaaaa-0000-4000-8000-000000000001' OR '1'='1", "11111111-1111-4111-8111-111111111111 OR 1=1", "null", "undefined",
        "'; DROP TABLE tasks; --", "pg_sleep(5)", "99999999999999999999999", "-99999999999999999999", "1;2", "[1]", "{\"id\":1}",
    ];

    private readonly QueryMutator _mutator = new(random);

    public IEnumerable<BadRequest> HandMade(int count)
    {
        foreach (var key in MissingKeys)
        {
            if (keys.MayExist(key))
            {
                throw new InvalidOperationException($"\"{key}\" may name a seed row: it has no place in the missing keys");
            }
        }

        for (var i = 0; i < count; i++)
        {
            var (path, c, integerKey) = Collections[random.Next(Collections.Length)];
            var key = QueryMutator.Quote(MissingKeys[random.Next(MissingKeys.Length)]);
            var other = QueryMutator.Quote(MissingKeys[random.Next(MissingKeys.Length)]);
            var hostile = QueryMutator.Quote(HostileInputs.SqlFragments[random.Next(HostileInputs.SqlFragments.Length)]);
            var field = FieldOf(c);
            yield return (i % 12) switch
            {
                0 => Post("hostile-mutation", Identity.Admin, path, $"mutation {{ update_{c}_item(id: {key}, data: {{ {field}: {hostile} }}) {{ id }} }}"),
                1 => Post("hostile-mutation", Identity.Admin, path, $"mutation {{ update_{c}_items(ids: [{key}, {other}], data: {{ {field}: {hostile} }}) {{ id }} }}"),
                2 => Post("hostile-mutation", Identity.Admin, path, $"mutation {{ update_{c}_items(ids: [], data: {{ {field}: {hostile} }}) {{ id }} }}"),
                3 => Post("hostile-mutation", Identity.Admin, path, $"mutation {{ update_{c}_batch(data: [{{ id: {key}, {field}: {hostile} }}, {{ id: {other} }}]) {{ id }} }}"),
                4 => Post("hostile-mutation", Identity.Admin, path, $"mutation {{ delete_{c}_item(id: {key}) {{ id }} }}"),
                5 => Post("hostile-mutation", Identity.Admin, path, $"mutation {{ delete_{c}_items(ids: [{key}, {other}]) {{ ids }} }}"),
                6 => Post("hostile-mutation", Identity.Admin, path, $"mutation {{ delete_{c}_items(ids: []) {{ ids }} }}"),
                7 => Post("hostile-mutation", Identity.Admin, path, $"mutation($ids: [ID]!) {{ delete_{c}_items(ids: $ids) {{ ids }} }}",
                    Serialize(new { ids = new[] { HostileInputs.MissingUuid, "' OR 1=1 --", "", "x" } })),
                8 => Post("hostile-mutation", Identity.Admin, path, $"mutation {{ update_{c}_item(id: {key}, data: {{ {field}: {hostile} }}, filter: {{ id: {{ _nnull: true }} }}) {{ id }} }}", expect: Expectation.ErrorOrData),
                9 => Post("hostile-mutation", Identity.Admin, path, $"mutation {{ create_{c}_item(data: {{ id: {BadKey(integerKey)}, {field}: {hostile} }}) {{ id }} }}", expect: Expectation.Error),
                10 => Post("hostile-mutation", Identity.Admin, path,
                    $"mutation {{ create_{c}_items(data: [{{ {field}: {hostile} }}, {{ id: {BadKey(integerKey)} }}]) {{ id }} }}", expect: Expectation.Error),
                _ => Post("hostile-mutation", Identity.Admin, path, $"mutation {{ create_{c}_items(data: {{ id: {BadKey(integerKey)} }}) {{ id }} }}", expect: Expectation.Error),
            };
        }
    }

    public IEnumerable<BadRequest> Mutated(int count)
    {
        var made = 0;
        for (var attempt = 0; made < count && attempt < count * 20; attempt++)
        {
            var template = corpus.Mutations[random.Next(corpus.Mutations.Count)];
            var mutated = WithoutLoneSurrogates(_mutator.Mutate(template.Query, writeSafe: true));
            if (WriteSafety.CannotWrite(mutated, keys))
            {
                made++;
                yield return Post("mutated-mutation", Identity.Admin, template.Path, mutated);
            }
        }
    }

    /// <summary>A key the collection cannot have: not a UUID for UUID keys, not a number for integer keys.</summary>
    private string BadKey(bool integerKey)
    {
        string[] uuidKeys = ["\"' OR 1=1 --\"", "\"not-a-uuid\"", "\"ffffffff-ffff-4fff-8fff-fffffffffffff\"", "\"'; DROP TABLE tasks; --\""];
        string[] intKeys = ["\"abc\"", "\"1 OR 1=1\"", "\"' OR 1=1 --\"", "\"1.5x\""];
        var pool = integerKey ? intKeys : uuidKeys;
        return pool[random.Next(pool.Length)];
    }

    private static string FieldOf(string collection) => collection switch
    {
        "tasks" => "title",
        "projects" or "folders" or "roles" => "name",
        "artifact_versions" => "schema_key",
        "artifact_files" or "task_artifacts" => "sort",
        "artifact_approvals" => "approved_at",
        "files" => "description",
        _ => "email",
    };
}
