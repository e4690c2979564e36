using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>The generator is deterministic, big enough, covers every category, and its write-safety proof holds.</summary>
public sealed class GeneratorTests
{
    [Fact]
    public void Generate_sameSeed_sameRequests_otherSeed_otherRequests()
    {
        var first = BadRequestGenerator.Generate(7);
        var again = BadRequestGenerator.Generate(7);
        var other = BadRequestGenerator.Generate(8);

        Assert.Equal(first.Select(Fingerprint), again.Select(Fingerprint));
        Assert.NotEqual(first.Select(Fingerprint), other.Select(Fingerprint));
    }

    [Fact]
    public void Generate_defaultSeed_atLeastAThousandSentRequestsInEveryCategory()
    {
        var requests = BadRequestGenerator.Generate(BadRequestGenerator.DefaultSeed);

        Assert.True(requests.Count(r => KnownIssues.Find(r, DatabaseClient.Postgres) is not { Send: false }) >= 1_000);
        Assert.Equal(Enumerable.Range(0, requests.Count), requests.Select(r => r.Index));
        string[] categories =
        [
            "mutated-query", "hostile-filter", "hostile-sort", "hostile-groupBy", "hostile-search", "hostile-values", "wrong-variables",
            "deep-nesting", "huge-inputs", "payload-limit", "hostile-mutation", "mutated-mutation", "random-bytes", "invalid-utf8",
            "lone-surrogate", "broken-json", "json-shapes", "content-types", "get-garbage", "methods", "forbidden-reach", "control",
            "json-mutated", "rest-patch", "rest-delete", "rest-upload", "rest-asset", "rest-items-read", "rest-items-write",
        ];
        Assert.Equal(categories.Order(StringComparer.Ordinal), requests.Select(r => r.Category).Distinct().Order(StringComparer.Ordinal));
        Assert.All(Identity.NonAdmins, who => Assert.Contains(requests, r => r.Identity == who));
    }

    [Theory]
    [InlineData("mutation { update_tasks_item(id: \"ffffffff-ffff-4fff-8fff-ffffffffffff\", data: { title: \"x\" }) { id } }", true)]
    [InlineData("mutation { delete_tasks_items(ids: [\"' OR 1=1 --\", null, 987654321]) { ids } }", true)]
    [InlineData("mutation { create_tasks_item(data: { title: \"x\" }) { id } }", false)]
    [InlineData("mutation { create_tasks_item(data: { title: \"x\" } { id } }", true)]
    [InlineData("mutation { delete_tasks_item(id: \"AAAAAAAA-0000-4000-8000-000000000001\") { id } }", false)]
    [InlineData("mutation { delete_tasks_item(id: \"{aaaaaaaa-0000-4000-8000-000000000001}\") { id } }", false)]
    [InlineData("mutation { delete_tasks_item(id: \"aaaaaaaa000040008000000000000001\") { id } }", false)]
    [InlineData("mutation { delete_artifact_approvals_item(id: \" 2.0\") { id } }", false)]
    [InlineData("mutation { delete_artifact_approvals_item(id: 3) { id } }", false)]
    [InlineData("mutation($i: ID!) { delete_tasks_item(id: $i) { id } }", false)]
    [InlineData("mutation { update_tasks_items(data: { title: \"x\" }) { id } }", false)]
    [InlineData("mutation { update_tasks_item(id: \"ffffffff-ffff-4fff-8fff-ffffffffffff\", data: { project_id: { name: \"x\" } }) { id } }", false)]
    [InlineData("mutation { update_tasks_batch(data: [{ id: \"ffffffff-ffff-4fff-8fff-ffffffffffff\" }, { title: \"x\" }]) { id } }", false)]
    [InlineData("mutation { ... on Mutation { delete_tasks_item(id: \"x\") { id } } }", false)]
    [InlineData("query { tasks { id } }", true)]
    public void WriteSafety_provesOnlyWhatCannotWrite(string document, bool cannotWrite)
        => Assert.Equal(cannotWrite, WriteSafety.CannotWrite(document, KeyGuard.FromSeed()));

    [Fact]
    public async Task DatabaseDump_changedValue_isADifference()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        await database.ImportSeedAsync();
        var before = await DatabaseDump.TakeAsync(database);

        await database.ExecuteAsync("UPDATE tasks SET title = 'Write spec!' WHERE title = 'Write spec'");

        Assert.Equal(["tasks"], before.Differences(await DatabaseDump.TakeAsync(database)).Select(d => d.Split(':')[0]));
    }

    private static string Fingerprint(BadRequest r) => $"{r.Category}|{r.Identity.Name}|{r.Method}|{r.PathAndQuery}|{Convert.ToBase64String(r.Body ?? [])}|{r.ContentType}";
}
