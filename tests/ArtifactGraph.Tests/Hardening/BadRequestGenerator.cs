namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// The bad-input storm, generated from a seed: the same seed gives the same requests in the same order, so a failure
/// names its seed and index and can be replayed with <c>Generate(seed)[index]</c>. Categories and their sizes are fixed;
/// the order is shuffled so that every kind of request runs next to every other.
/// </summary>
public static class BadRequestGenerator
{
    public const int DefaultSeed = 20_240_601;

    /// <summary>Known valid reads whose answers must not change: before the storm, during it (as controls) and after it.</summary>
    public static readonly IReadOnlyList<(string Key, string Path, string Query)> ReferenceQueries =
    [
        ("deep-nesting", "/graphql", "{ tasks_by_id(id: \"aaaaaaaa-0000-4000-8000-000000000001\") { title project_id { name } artifacts { artifact_version_id { version files { sort directus_files_id { filename_download uploaded_by { email } } } } } } }"),
        ("nested-args", "/graphql", "{ tasks(sort: \"title\") { title artifacts(filter: { artifact_version_id: { status: { _in: [\"approved\", \"pending\"] } } }, sort: [\"-sort\"]) { sort artifact_version_id { status version } } } }"),
        ("every-row", "/graphql", "{ projects(limit: -1, sort: \"id\") { id name context context_version date_created date_updated } tasks(limit: -1, sort: \"id\") { id title status project_id { id } } artifact_versions(limit: -1, sort: \"id\") { id schema_key version status content date_created project_id { id } primary_file_id { id } files(limit: -1) { id sort directus_files_id { id } } } task_artifacts(limit: -1, sort: \"id\") { id sort task_id { id } artifact_version_id { id } } artifact_approvals(limit: -1, sort: \"id\") { id approved_at context_version artifact_version_id { id } project_id { id } } }"),
        ("aggregate", "/graphql", "{ artifact_versions_aggregated(groupBy: [\"project_id\", \"status\"], sort: [\"project_id\", \"status\"]) { group countAll max { version } } }"),
        ("system-files", "/graphql/system", "{ files(sort: \"id\", limit: -1) { id storage filename_disk filename_download title type filesize width height folder { id } uploaded_by { id email } } users(sort: \"id\") { id email status role { id name } } }"),
    ];

    /// <summary>The socket part (<see cref="SocketCategories"/>), from the same seed; <paramref name="storm"/> is <see cref="Generate"/>'s list.</summary>
    public static IReadOnlyList<SocketCase> GenerateSockets(int seed, IReadOnlyList<BadRequest> storm)
    {
        var random = new Random(seed ^ 0x50C4E7);
        var cases = new SocketCategories(random, SeedCorpus.Load()).All(storm).ToList();
        return cases.OrderBy(_ => random.Next()).Select((c, i) => c with { Index = i }).ToList();
    }

    public static IReadOnlyList<BadRequest> Generate(int seed)
    {
        var random = new Random(seed);
        var corpus = SeedCorpus.Load();
        var keys = KeyGuard.FromSeed();
        var queries = new QueryCategories(random, corpus);
        var shapes = new ShapeCategories(random);
        var mutations = new MutationCategories(random, corpus, keys);
        var requests = new List<BadRequest>();
        requests.AddRange(queries.MutatedQueries(360));
        requests.AddRange(queries.HostileFilters(100));
        requests.AddRange(queries.HostileSorts(90));
        requests.AddRange(queries.HostileGroupBys(60));
        requests.AddRange(queries.HostileSearches(50));
        requests.AddRange(queries.HostileValues(80));
        requests.AddRange(queries.WrongVariables(120));
        requests.AddRange(shapes.DeepNesting());
        requests.AddRange(shapes.HugeInputs());
        requests.AddRange(shapes.PayloadLimit());
        requests.AddRange(mutations.HandMade(96));
        requests.AddRange(mutations.Mutated(80));
        requests.AddRange(new TransportCategories(random, corpus).All());
        requests.AddRange(new RestCategories(random, corpus, keys).All(new JsonMutator(random)));
        var reach = new ReachCategories(random);
        requests.AddRange(Identity.NonAdmins.SelectMany(reach.For));
        foreach (var (key, path, query) in ReferenceQueries)
        {
            for (var i = 0; i < 6; i++)
            {
                requests.Add(RequestBuilder.Post("control", Identity.Admin, path, query, expect: Expectation.SameAsBaseline) with { BaselineKey = key });
            }
        }

        var shuffled = requests.OrderBy(_ => random.Next()).ToList();
        return shuffled.Select((r, i) => r with { Index = i }).ToList();
    }
}
