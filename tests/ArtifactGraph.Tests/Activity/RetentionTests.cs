using ArtifactGraph.Data;
using ArtifactGraph.Data.Entities;
using ArtifactGraph.Server.Activity;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Tests.Activity;

/// <summary>Directus's retention: old activity goes with its revisions, in batches; newer rows stay.</summary>
public sealed class RetentionTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Prune_oldActivity_goesWithItsRevisionsInBatches_newerStays(DatabaseClient client)
    {
        await using var database = await TestDatabase.CreateAsync(client);
        await using (var db = database.CreateContext())
        {
            for (var i = 0; i < 5; i++)
            {
                var old = Entry(Now.AddDays(-100 + i));
                var parent = new Revision { ActivityRef = old, Collection = "tasks", Item = $"{i}", Data = "{}", Delta = "{}" };
                db.AddRange(old, parent, new Revision { ActivityRef = old, Collection = "tasks", Item = $"{i}c", ParentRef = parent });
            }

            var recent = Entry(Now.AddDays(-1));
            db.AddRange(recent, new Revision { ActivityRef = recent, Collection = "tasks", Item = "recent", Data = "{}" });
            await db.SaveChangesAsync();
        }

        var settings = new RetentionSettings { Batch = 2 };
        var deleted = await ActivityRetention.PruneAsync(new Factory(database), settings, Now, CancellationToken.None);

        Assert.Equal((5, 10), deleted);
        Assert.Equal(1, await database.CountAsync("directus_activity"));
        Assert.Equal(["recent"], await database.QueryAsync("SELECT item FROM directus_revisions"));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task Prune_shorterRevisionRetention_keepsTheActivity(DatabaseClient client)
    {
        await using var database = await TestDatabase.CreateAsync(client);
        await using (var db = database.CreateContext())
        {
            var old = Entry(Now.AddDays(-40));
            var parent = new Revision { ActivityRef = old, Collection = "tasks", Item = "1", Data = "{}" };
            db.AddRange(old, parent, new Revision { ActivityRef = Entry(Now.AddDays(-1)), Collection = "tasks", Item = "2", ParentRef = parent });
            await db.SaveChangesAsync();
        }

        var settings = new RetentionSettings { Activity = null, Revisions = TimeSpan.FromDays(30) };
        var deleted = await ActivityRetention.PruneAsync(new Factory(database), settings, Now, CancellationToken.None);

        Assert.Equal((0, 1), deleted);
        Assert.Equal(2, await database.CountAsync("directus_activity"));
        Assert.Equal([null], await database.QueryAsync("SELECT parent FROM directus_revisions"));
    }

    [Theory]
    [InlineData("90d", 90 * 24 * 60)]
    [InlineData("12h", 12 * 60)]
    [InlineData("30m", 30)]
    [InlineData("1.5 weeks", 15120)]
    [InlineData("60000", 1)]
    public void Duration_asDirectusReadsIt(string value, double minutes)
        => Assert.Equal(TimeSpan.FromMinutes(minutes), RetentionSettings.Duration("ACTIVITY_RETENTION", value));

    [Fact]
    public void Settings_defaults_areDirectus()
    {
        var settings = RetentionSettings.Read(_ => null);
        Assert.Equal((false, "0 0 * * *", 500, TimeSpan.FromDays(90), TimeSpan.FromDays(90)),
            (settings.Enabled, settings.Schedule, settings.Batch, settings.Activity!.Value, settings.Revisions!.Value));
        Assert.Equal("RETENTION_SCHEDULE", Assert.Throws<SettingsException>(() => RetentionSettings.Read(k => k == "RETENTION_SCHEDULE" ? "every day" : null)).Variable);
    }

    private static ActivityEntry Entry(DateTime at) => new() { Action = "update", Timestamp = at, Collection = "tasks", Item = "x" };

    private sealed class Factory(TestDatabase database) : IDbContextFactory<ArtifactGraphDbContext>
    {
        public ArtifactGraphDbContext CreateDbContext() => database.CreateContext();
    }
}
