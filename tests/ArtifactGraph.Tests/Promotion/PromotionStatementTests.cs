using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using static ArtifactGraph.Tests.Promotion.Promotions;

namespace ArtifactGraph.Tests.Promotion;

/// <summary>What a promotion asks of the database, whatever the number of approvals before it.</summary>
public sealed class PromotionStatementTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_promotion_reads_its_own_versions_approval_only(DatabaseClient client)
    {
        await using var harness = await EngineHarness.WithSeedAsync(client);
        harness.Statements.KeepText = true;

        Assert.Equal(ApolloContextVersion + 1, (await PromotionOutcome.RunAsync(harness, RequirementsV3, ApolloContextVersion)).ContextVersion);

        // The version and its approval are read by the unique artifact_version_id: no statement numbers the rows of a
        // table (EF's FirstOrDefault in a projection did, ROW_NUMBER() over every approval, one read of the table each time).
        var approvals = harness.Statements.Texts.Where(t => t.Contains("artifact_approvals", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(approvals);
        Assert.All(harness.Statements.Texts, t => Assert.DoesNotContain("ROW_NUMBER", t, StringComparison.OrdinalIgnoreCase));
        Assert.All(approvals, t => Assert.Contains("artifact_version_id", t, StringComparison.Ordinal));

        // Every statement is counted, the ones PostgreSQL gets in one batch (statuses, context, activity) too.
        Assert.Contains(harness.Statements.Texts, t => t.Contains("UPDATE projects", StringComparison.OrdinalIgnoreCase) || t.Contains("UPDATE \"projects\"", StringComparison.Ordinal));
        Assert.Contains(harness.Statements.Texts, t => t.Contains("directus_activity", StringComparison.Ordinal));
    }
}
