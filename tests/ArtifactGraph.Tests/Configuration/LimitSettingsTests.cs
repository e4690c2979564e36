using ArtifactGraph.Server.Configuration;

namespace ArtifactGraph.Tests.Configuration;

/// <summary>The limit settings beyond the query limits: introspection, the query time limit and the rate limiter.</summary>
public sealed class LimitSettingsTests
{
    [Fact]
    public void Load_nothingSet_defaults()
    {
        var settings = EnvironmentSettings.Load();

        Assert.True(settings.GraphQLIntrospection);
        Assert.Equal(30_000, settings.GraphQLQueryTimeout);
    }

    [Fact]
    public void Load_everyValueSet_readsThem()
    {
        var settings = EnvironmentSettings.Load(("GRAPHQL_INTROSPECTION", "false"), ("GRAPHQL_QUERY_TIMEOUT", "0"));

        Assert.False(settings.GraphQLIntrospection);
        Assert.Equal(0, settings.GraphQLQueryTimeout);
    }

    [Theory]
    [InlineData("GRAPHQL_INTROSPECTION", "no")]
    [InlineData("GRAPHQL_QUERY_TIMEOUT", "-1")]
    [InlineData("GRAPHQL_QUERY_TIMEOUT", "30s")]
    public void Load_invalidValue_throwsNamingTheVariable(string key, string value)
    {
        var error = Assert.Throws<SettingsException>(() => EnvironmentSettings.Load((key, value)));

        Assert.Equal(key, error.Variable);
    }
}
