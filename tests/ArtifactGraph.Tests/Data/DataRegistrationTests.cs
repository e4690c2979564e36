using ArtifactGraph.Data;
using ArtifactGraph.Data.Diagnostics;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactGraph.Tests.Data;

public sealed class DataRegistrationTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task AddArtifactGraphData_query_isCountedByTheStatementCounter(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        await using var services = new ServiceCollection().AddArtifactGraphData(db.Client, db.ConnectionString).BuildServiceProvider();
        var counter = services.GetRequiredService<StatementCounter>();
        var contexts = services.GetRequiredService<IDbContextFactory<ArtifactGraphDbContext>>();

        await using (var context = await contexts.CreateDbContextAsync())
        {
            await context.Projects.ToListAsync();
            await context.Tasks.CountAsync();
        }

        Assert.Equal(2, counter.Count);
        counter.Reset();
        Assert.Equal(0, counter.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AddArtifactGraphData_threadSafetyChecks_reachTheContexts(bool checks)
    {
        await using var services = new ServiceCollection().AddArtifactGraphData(DatabaseClient.Postgres, "Host=db;Database=x", checks).BuildServiceProvider();
        await using var context = await services.GetRequiredService<IDbContextFactory<ArtifactGraphDbContext>>().CreateDbContextAsync();

        var options = context.GetService<IDbContextOptions>();
        Assert.Equal(checks, options.FindExtension<CoreOptionsExtension>()!.ThreadSafetyChecksEnabled);
    }

    [Fact]
    public async Task AddArtifactGraphData_sqlite_enforcesForeignKeys()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        await using var services = new ServiceCollection().AddArtifactGraphData(db.Client, db.ConnectionString).BuildServiceProvider();
        await using var context = await services.GetRequiredService<IDbContextFactory<ArtifactGraphDbContext>>().CreateDbContextAsync();

        context.Tasks.Add(new() { Id = Guid.NewGuid(), ProjectId = Guid.NewGuid() });

        await Assert.ThrowsAsync<DbUpdateException>(() => context.SaveChangesAsync());
        Assert.Equal(["wal"], await db.QueryAsync("PRAGMA journal_mode"));
    }

    [Fact]
    public void Postgres_pool_skips_the_session_reset_unless_the_connection_string_asks_for_it()
    {
        Assert.True(new Npgsql.NpgsqlConnectionStringBuilder(ArtifactGraphDbOptions.PooledPostgres("Host=db;Database=x")).NoResetOnClose);
        Assert.False(new Npgsql.NpgsqlConnectionStringBuilder(ArtifactGraphDbOptions.PooledPostgres("Host=db;Database=x;No Reset On Close=false")).NoResetOnClose);
        Assert.False(new Npgsql.NpgsqlConnectionStringBuilder(ArtifactGraphDbOptions.PooledPostgres("Host=db;Database=x;NoResetOnClose=false")).NoResetOnClose);
    }

    [Theory]
    [InlineData("Host=db;Database=x", -1)]
    [InlineData("Host=db;Database=x;Maximum Pool Size=100", 100)]
    [InlineData("Host=db;Database=x;maxpoolsize=7", 7)]
    [InlineData("Host=db;Database=x;MaxPoolSize=3", 3)]
    public void Postgres_pool_is_bounded_by_the_cores_unless_the_connection_string_sets_it(string connectionString, int expected)
    {
        var size = new Npgsql.NpgsqlConnectionStringBuilder(ArtifactGraphDbOptions.PooledPostgres(connectionString)).MaxPoolSize;
        Assert.Equal(expected == -1 ? Math.Max(4, 2 * Environment.ProcessorCount) : expected, size);
        Assert.Equal(Math.Max(4, 2 * Environment.ProcessorCount), ArtifactGraphDbOptions.DefaultMaxPoolSize);
    }

    [Fact]
    public void Postgres_pool_default_bound_is_never_below_the_minimum_the_connection_string_asks_for()
    {
        var minimum = ArtifactGraphDbOptions.DefaultMaxPoolSize + 10;
        var pooled = new Npgsql.NpgsqlConnectionStringBuilder(ArtifactGraphDbOptions.PooledPostgres($"Host=db;Database=x;Minimum Pool Size={minimum}"));

        Assert.Equal((minimum, minimum), (pooled.MinPoolSize, pooled.MaxPoolSize));
    }

    [Fact]
    public void Postgres_pool_prepares_repeated_statements_unless_the_connection_string_says_otherwise()
    {
        var defaults = new Npgsql.NpgsqlConnectionStringBuilder(ArtifactGraphDbOptions.PooledPostgres("Host=db;Database=x"));
        Assert.Equal((ArtifactGraphDbOptions.MaxAutoPrepare, ArtifactGraphDbOptions.AutoPrepareMinUsages), (defaults.MaxAutoPrepare, defaults.AutoPrepareMinUsages));

        var off = new Npgsql.NpgsqlConnectionStringBuilder(ArtifactGraphDbOptions.PooledPostgres("Host=db;Database=x;Max Auto Prepare=0"));
        Assert.Equal(0, off.MaxAutoPrepare);
        Assert.Equal(0, new Npgsql.NpgsqlConnectionStringBuilder(ArtifactGraphDbOptions.PooledPostgres("Host=db;Database=x;MaxAutoPrepare=0")).MaxAutoPrepare);
    }
}
