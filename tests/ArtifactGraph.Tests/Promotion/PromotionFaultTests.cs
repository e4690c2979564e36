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

    [Fact]
    public async Task An_approval_created_without_the_lock_while_a_promotion_runs_is_kept_and_not_recorded_as_its_own()
    {
        await using var harness = await EngineHarness.WithSeedAsync(DatabaseClient.Postgres);

        // Another writer creates the version's approval without the project's lock (a plain insert, without a project: with
        // one, its foreign-key check would wait for the project's lock) and has not committed it yet: the promotion reads no
        // approval under its lock, then its own insert waits on that row.
        await using var writer = new NpgsqlConnection(harness.Database.ConnectionString);
        await writer.OpenAsync();
        await using var writing = await writer.BeginTransactionAsync();
        var theirs = (int)(await Sql(writer, $"""
            INSERT INTO artifact_approvals (artifact_version_id, project_id, approved_at, context_version)
            VALUES ('{RequirementsV3}', NULL, '2026-01-02T03:04:05Z', 99) RETURNING id
            """))!;

        var promotion = PromotionOutcome.RunAsync(harness, RequirementsV3, ApolloContextVersion);
        await using var monitor = new NpgsqlConnection(harness.Database.ConnectionString);
        await monitor.OpenAsync();
        if (await Task.WhenAny(promotion, WaitingPromotionAsync(monitor, "INSERT INTO artifact_approvals")) == promotion)
        {
            Assert.Fail($"the promotion did not wait for the other approval: {await promotion}");
        }

        await writing.CommitAsync();

        // The promotion starts again and keeps the row it found, as a promotion of a version with an approval row does.
        var promoted = await promotion;
        Assert.Equal(ApolloContextVersion + 1, promoted.ContextVersion);
        Assert.Equal(99, promoted.Ok.GetProperty("approval").GetProperty("context_version").GetInt32());
        Assert.Equal(["1"], await harness.Database.QueryAsync($"SELECT count(*) FROM artifact_approvals WHERE artifact_version_id = '{RequirementsV3}'"));
        Assert.Equal(["projects:update", "artifact_versions:update", "artifact_versions:update"], await harness.Database.QueryAsync(
            "SELECT collection || ':' || action FROM directus_activity ORDER BY collection DESC, id"));
        Assert.Equal([theirs.ToString(System.Globalization.CultureInfo.InvariantCulture)], await harness.Database.QueryAsync(
            $"SELECT id::text FROM artifact_approvals WHERE artifact_version_id = '{RequirementsV3}'"));
    }

    private static Task<int> WaitingPromotionAsync(NpgsqlConnection monitor) => WaitingPromotionAsync(monitor, "INSERT INTO directus_activity");

    private static async Task<int> WaitingPromotionAsync(NpgsqlConnection monitor, string statement)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await Sql(monitor, """
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%' || $1 || '%'
                """, statement) is int pid)
            {
                return pid;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the promotion never waited on {statement}");
    }

    private static async Task<object?> Sql(NpgsqlConnection connection, string sql, params string[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter<string>() { TypedValue = parameter });
        }

        return await command.ExecuteScalarAsync();
    }
}
