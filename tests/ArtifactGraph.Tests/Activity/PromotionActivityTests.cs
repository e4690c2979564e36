using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;
using ArtifactGraph.Tests.Promotion;
using Snapshooter;
using Snapshooter.Xunit;
using static ArtifactGraph.Tests.Promotion.Promotions;

namespace ArtifactGraph.Tests.Activity;

/// <summary>
/// A promotion is on record: the promoted version's update is the parent of the superseded version's update, the
/// project's update (context, context_version) and the approval's create; a replay records nothing.
/// </summary>
public sealed class PromotionActivityTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Promotion_recordsEveryItemItWrote_underThePromotedVersion(DatabaseClient client)
    {
        await using var server = await PromotionServer.StartAsync(client);
        var before = await ActivityRows.LastIdAsync(server.Database);

        Assert.Null((await server.PromoteAsync(RequirementsV3)).Code);
        var rows = ActivityRows.Normalize(await ActivityRows.AfterAsync(server.Database, before));
        var afterFirst = await ActivityRows.LastIdAsync(server.Database);
        Assert.True((await server.PromoteAsync(RequirementsV3)).Ok.GetProperty("replayed").GetBoolean());

        Snapshot.Match(rows, new SnapshotFullName("PromotionActivityTests.Promotion.snap", Path.Combine(SharedPaths.RepositoryRoot, "tests", "ArtifactGraph.Tests", "Activity")));
        Assert.Equal(afterFirst, await ActivityRows.LastIdAsync(server.Database));
    }
}
