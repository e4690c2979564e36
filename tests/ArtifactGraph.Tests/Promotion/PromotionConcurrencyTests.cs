using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ArtifactGraph.Tests.Promotion.Promotions;

namespace ArtifactGraph.Tests.Promotion;

/// <summary>
/// Promotions racing: real parallel HTTP requests (each with its own scope, context and connection) released together,
/// serialised only by the project's row lock on PostgreSQL and by the immediate write transaction on SQLite.
/// </summary>
public sealed class PromotionConcurrencyTests
{
    private const string Path = "race/path";

    [Theory]
    [InlineData(DatabaseClient.Postgres)]
    [InlineData(DatabaseClient.Sqlite)]
    public async Task Concurrent_promotions_of_one_path_with_the_same_ifMatch_let_exactly_one_win(DatabaseClient client)
    {
        await using var server = await PromotionServer.StartAsync(client);
        var ids = await AddVersionsAsync(server.Database, Borealis, Path, count: 32);

        var outcomes = await RaceAsync(ids.Select(id => (Func<Task<PromotionOutcome>>)(() => server.PromoteAsync(id.ToString(), ifMatch: 0))));

        var winner = Assert.Single(outcomes, o => o.Payload is not null);
        Assert.Equal(31, outcomes.Count(o => o.Code == "PRECONDITION_FAILED"
            && o.Message == "Precondition failed: the project's context_version is 1, not 0."));
        Assert.Equal(1, (await ProjectAsync(server.Database, Borealis)).ContextVersion);
        var approved = Assert.Single(await ApprovedAsync(server.Database));
        Assert.Equal(winner.Ok.GetProperty("artifact_version").GetProperty("id").GetString(), approved.ToString());
        Assert.Equal(1, await ApprovalCountAsync(server.Database, ids));
    }

    [Theory]
    [InlineData(DatabaseClient.Postgres)]
    [InlineData(DatabaseClient.Sqlite)]
    public async Task Concurrent_promotions_without_ifMatch_all_succeed_one_after_another(DatabaseClient client)
    {
        await using var server = await PromotionServer.StartAsync(client);
        var ids = await AddVersionsAsync(server.Database, Borealis, Path, count: 32);

        var outcomes = await RaceAsync(ids.Select(id => (Func<Task<PromotionOutcome>>)(() => server.PromoteAsync(id.ToString()))));

        Assert.Equal(Enumerable.Range(1, 32), outcomes.Select(o => o.ContextVersion).Order());
        var project = await ProjectAsync(server.Database, Borealis);
        Assert.Equal(32, project.ContextVersion);
        Assert.Equal(32, await ApprovalCountAsync(server.Database, ids));
        var last = outcomes.Single(o => o.ContextVersion == 32).Ok.GetProperty("artifact_version").GetProperty("id").GetString();
        Assert.Equal(last, Assert.Single(await ApprovedAsync(server.Database)).ToString());
        await using var db = server.Database.CreateContext();
        var latest = await db.ArtifactApprovals.Where(a => ids.Contains(a.ArtifactVersionId!.Value))
            .OrderByDescending(a => a.ContextVersion).Select(a => a.ArtifactVersion!.Content).FirstAsync();
        Assert.Contains($"\"path\":{latest}", project.Context!.Replace(" ", ""));
    }

    [Theory]
    [InlineData(DatabaseClient.Postgres)]
    [InlineData(DatabaseClient.Sqlite)]
    public async Task Concurrent_retries_of_one_promotion_have_one_effect_and_replay_the_rest(DatabaseClient client)
    {
        await using var server = await PromotionServer.StartAsync(client);
        var id = (await AddVersionsAsync(server.Database, Borealis, Path)).Single();

        var outcomes = await RaceAsync(Enumerable.Range(0, 16).Select(_ => (Func<Task<PromotionOutcome>>)(() => server.PromoteAsync(id.ToString(), ifMatch: 0))));

        Assert.Single(outcomes, o => !o.Ok.GetProperty("replayed").GetBoolean());
        Assert.Equal(15, outcomes.Count(o => o.Ok.GetProperty("replayed").GetBoolean()));
        Assert.All(outcomes, o => Assert.Equal(1, o.ContextVersion));
        Assert.Equal(1, (await ProjectAsync(server.Database, Borealis)).ContextVersion);
        Assert.Equal(1, await ApprovalCountAsync(server.Database, [id]));
    }

    /// <summary>Starts every call, then releases them at once.</summary>
    private static async Task<PromotionOutcome[]> RaceAsync(IEnumerable<Func<Task<PromotionOutcome>>> calls)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = calls.Select(call => Task.Run(async () =>
        {
            await start.Task;
            return await call();
        })).ToList();
        start.SetResult();
        return await Task.WhenAll(running);
    }

    private static async Task<List<Guid>> ApprovedAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.ArtifactVersions.Where(v => v.ProjectId == Borealis && v.SchemaKey == Path && v.Status == "approved")
            .Select(v => v.Id).ToListAsync();
    }

    private static async Task<int> ApprovalCountAsync(TestDatabase database, List<Guid> ids)
    {
        await using var db = database.CreateContext();
        return await db.ArtifactApprovals.CountAsync(a => ids.Contains(a.ArtifactVersionId!.Value));
    }
}
