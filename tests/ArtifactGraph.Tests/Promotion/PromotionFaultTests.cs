using ArtifactGraph.Data;
using ArtifactGraph.Tests.GraphQL;
using Npgsql;
using static ArtifactGraph.Tests.Promotion.Promotions;

namespace ArtifactGraph.Tests.Promotion;

/// <summary>A promotion that fails half-way leaves nothing behind: real database faults, no test hooks.</summary>
public sealed class PromotionFaultTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Failure_in_the_last_step_rolls_back_the_earlier_steps(DatabaseClient client)
    {
        await using var harness = await EngineHarness.WithSeedAsync(client);
        // A trigger makes the activity insert (the last write) fail after the approval, the statuses and the context were written.
        await harness.Database.ExecuteAsync(client == DatabaseClient.Sqlite
            ? "CREATE TRIGGER fail_activity BEFORE INSERT ON directus_activity BEGIN SELECT RAISE(ABORT, 'injected fault'); END;"
            : """
              CREATE FUNCTION fail_activity() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$;
              CREATE TRIGGER fail_activity BEFORE INSERT ON directus_activity FOR EACH ROW EXECUTE FUNCTION fail_activity();
              """);
        var before = await StateAsync(harness.Database);

        var failed = await PromotionOutcome.RunAsync(harness, RequirementsV3, ApolloContextVersion);

        Assert.Equal(("INTERNAL_SERVER_ERROR", "An unexpected error occurred."), (failed.Code, failed.Message));
        Assert.Equal(before, await StateAsync(harness.Database));
        await harness.Database.ExecuteAsync("DROP TRIGGER fail_activity" + (client == DatabaseClient.Sqlite ? "" : " ON directus_activity"));
        Assert.Equal(4, (await PromotionOutcome.RunAsync(harness, RequirementsV3, ApolloContextVersion)).ContextVersion);
    }

    [Fact]
    public async Task Backend_terminated_mid_promotion_leaves_no_partial_state()
    {
        await using var harness = await EngineHarness.WithSeedAsync(DatabaseClient.Postgres);
        var before = await StateAsync(harness.Database);

        // A share lock on the activity table makes the promotion's last statement, its activity and revision rows, wait
        // after the approval, the statuses and the context were written.
        await using var blocker = new NpgsqlConnection(harness.Database.ConnectionString);
        await blocker.OpenAsync();
        await using var blocking = await blocker.BeginTransactionAsync();
        await Sql(blocker, "LOCK TABLE directus_activity IN SHARE MODE");

        var promotion = PromotionOutcome.RunAsync(harness, RequirementsV3, ApolloContextVersion);
        await using var monitor = new NpgsqlConnection(harness.Database.ConnectionString);
        await monitor.OpenAsync();
        var pid = await WaitingPromotionAsync(monitor);
        // It has written the project row (RowExclusiveLock) and waits on its last statement: kill it there.
        Assert.Equal(1L, await Sql(monitor, $"SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = {pid} AND c.relname = 'projects' AND l.mode = 'RowExclusiveLock'"));
        Assert.Equal(true, await Sql(monitor, $"SELECT pg_terminate_backend({pid})"));

        var failed = await promotion;
        await blocking.RollbackAsync();

        // A terminated backend (57P01) is a database that went away, not a bug: the client may retry (issue 19).
        Assert.Equal("SERVICE_UNAVAILABLE", failed.Code);
        Assert.Equal(before, await StateAsync(harness.Database));
        Assert.Equal(4, (await PromotionOutcome.RunAsync(harness, RequirementsV3, ApolloContextVersion)).ContextVersion);
    }

    private static async Task<int> WaitingPromotionAsync(NpgsqlConnection monitor)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await Sql(monitor, """
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO directus_activity%'
                """) is int pid)
            {
                return pid;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the promotion never waited on the activity insert");
    }

    private static async Task<object?> Sql(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
