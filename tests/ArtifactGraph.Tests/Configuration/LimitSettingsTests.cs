using ArtifactGraph.Server.Configuration;

namespace ArtifactGraph.Tests.Configuration;

/// <summary>The limit settings beyond the query limits: introspection, the query time limit, direct reads and the rate limiter.</summary>
public sealed class LimitSettingsTests
{
    [Fact]
    public void Load_nothingSet_defaults()
    {
        var settings = EnvironmentSettings.Load();

        Assert.True(settings.GraphQLIntrospection);
        Assert.Equal(30_000, settings.GraphQLQueryTimeout);
        Assert.True(settings.GraphQLDirectReads);
        Assert.True(settings.DbCompiledQueries);
        Assert.Equal(new RateLimiterSettings { Enabled = false, Points = 50, Duration = 1 }, settings.RateLimiter);
    }

    [Fact]
    public void Load_everyValueSet_readsThem()
    {
        var settings = EnvironmentSettings.Load(
            ("GRAPHQL_INTROSPECTION", "false"), ("GRAPHQL_QUERY_TIMEOUT", "0"), ("GRAPHQL_DIRECT_READS", "false"), ("DB_COMPILED_QUERIES", "false"),
            ("RATE_LIMITER_ENABLED", "true"), ("RATE_LIMITER_POINTS", "100"), ("RATE_LIMITER_DURATION", "60"));

        Assert.False(settings.GraphQLIntrospection);
        Assert.Equal(0, settings.GraphQLQueryTimeout);
        Assert.False(settings.GraphQLDirectReads);
        Assert.False(settings.DbCompiledQueries);
        Assert.Equal(new RateLimiterSettings { Enabled = true, Points = 100, Duration = 60 }, settings.RateLimiter);
    }
}
