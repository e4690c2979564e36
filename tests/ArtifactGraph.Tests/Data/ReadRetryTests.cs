using ArtifactGraph.Data;
using ArtifactGraph.Data.Resilience;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Tests.Data;

/// <summary>EF Core's execution strategy retries transient faults of reads, and never of anything outside a read scope.</summary>
public sealed class ReadRetryTests
{
    [Fact]
    public async Task A_database_that_is_away_is_retried_inside_a_read_scope_only_and_a_read_rides_out_its_return()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseClient.Postgres);
        await using var role = await AwayRole.CreateAsync(database);
        await role.GoAwayAsync();
        await using var db = new ArtifactGraphDbContext(ArtifactGraphDbOptions.Create(DatabaseClient.Postgres, role.ConnectionString));

        var outside = await AttemptsAsync(db);
        int inside;
        using (ReadRetries.Begin())
        {
            inside = await AttemptsAsync(db);
        }

        Assert.Equal(1, outside);
        Assert.Equal(1 + ReadRetryingExecutionStrategy.MaxRetries, inside);

        // Back after half a second: the read's second or third attempt gets through.
        var comeBack = Task.Delay(TimeSpan.FromMilliseconds(500)).ContinueWith(_ => role.ComeBackAsync()).Unwrap();
        using (ReadRetries.Begin())
        {
            Assert.Equal(0, await db.Projects.CountAsync());
        }

        await comeBack;
    }

    private static async Task<int> AttemptsAsync(ArtifactGraphDbContext db)
    {
        var attempts = 0;
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            attempts++;
            return await db.Projects.CountAsync();
        }));
        Assert.True(DatabaseFaults.IsUnavailable(failure), failure.ToString());
        return attempts;
    }
}
