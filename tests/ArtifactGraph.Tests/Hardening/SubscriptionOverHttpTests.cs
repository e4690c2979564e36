using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// Found by the bad-input suite: a subscription sent over HTTP was answered with <c>{}</c>, neither data nor errors.
/// graphql-js's execute resolves a subscription's root fields like a query's; Directus's have no resolver, so null.
/// </summary>
public sealed class SubscriptionOverHttpTests
{
    [Fact]
    public async Task Subscription_overHttp_rootFieldIsNull()
    {
        await using var h = await EngineHarness.WithSeedAsync(DatabaseClient.Sqlite);

        var json = await h.ExecuteDirectusJsonAsync("subscription { tasks_mutated(event: create) { key event data { id } } }");

        Assert.Equal("""{"data":{"tasks_mutated":null}}""", json);
    }

    [Fact]
    public async Task Subscription_overHttp_namedOperationWithAlias_rootFieldIsNull()
    {
        await using var h = await EngineHarness.WithSeedAsync(DatabaseClient.Sqlite);

        var json = await h.ExecuteDirectusJsonAsync("subscription S { changes: projects_mutated { key } }");

        Assert.Equal("""{"data":{"changes":null}}""", json);
    }
}
