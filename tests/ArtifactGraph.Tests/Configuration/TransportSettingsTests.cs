using ArtifactGraph.Server.Configuration;

namespace ArtifactGraph.Tests.Configuration;

/// <summary><c>GRAPHQL_IDE</c> and Directus's <c>CORS_*</c> settings.</summary>
public sealed class TransportSettingsTests
{
    private static ServerSettings Load(params (string Key, string Value)[] values) => EnvironmentSettings.Load(values);

    [Fact]
    public void Load_nothingSet_ideOnAndDirectusCorsDefaults()
    {
        var settings = Load();

        Assert.True(settings.GraphQLIde);
        var cors = settings.Cors;
        Assert.False(cors.Enabled);
        Assert.Equal(CorsOriginKind.None, cors.Origin.Kind);
        Assert.Equal(["GET", "POST", "PATCH", "DELETE"], cors.Methods);
        Assert.Equal(["Content-Type", "Authorization", "User-Agent", "If-Match"], cors.AllowedHeaders);
        Assert.Equal(["Content-Range"], cors.ExposedHeaders);
        Assert.True(cors.Credentials);
        Assert.Equal(18000, cors.MaxAge);
    }

    [Fact]
    public void Load_everyCorsValueSet_readsThem()
    {
        var cors = Load(("CORS_ENABLED", "true"), ("CORS_ORIGIN", "https://a.example, https://b.example/"), ("CORS_METHODS", "GET,POST"),
            ("CORS_ALLOWED_HEADERS", "array:Content-Type,X-Api-Key"), ("CORS_EXPOSED_HEADERS", "ETag"), ("CORS_CREDENTIALS", "false"),
            ("CORS_MAX_AGE", "60"), ("GRAPHQL_IDE", "false")).Cors;

        Assert.True(cors.Enabled);
        Assert.Equal(CorsOriginKind.List, cors.Origin.Kind);
        Assert.Equal(["https://a.example", "https://b.example"], cors.Origin.Origins);
        Assert.Equal(["GET", "POST"], cors.Methods);
        Assert.Equal(["Content-Type", "X-Api-Key"], cors.AllowedHeaders);
        Assert.Equal(["ETag"], cors.ExposedHeaders);
        Assert.Equal((false, (int?)60), (cors.Credentials, cors.MaxAge));
        Assert.False(Load(("GRAPHQL_IDE", "0")).GraphQLIde);
    }

    [Theory]
    [InlineData("true", CorsOriginKind.Reflect)]
    [InlineData("1", CorsOriginKind.Reflect)]
    [InlineData("false", CorsOriginKind.None)]
    [InlineData("*", CorsOriginKind.Any)]
    [InlineData("https://app.example.com", CorsOriginKind.List)]
    [InlineData(@"regex:^https://[a-z]+\.example\.com$", CorsOriginKind.Pattern)]
    public void Load_corsOrigin_kindOfDirectusValue(string value, CorsOriginKind kind)
        => Assert.Equal(kind, Load(("CORS_ORIGIN", value)).Cors.Origin.Kind);

    [Fact]
    public void CorsOrigin_regex_testsUnanchoredLikeJavaScript()
    {
        var origin = Load(("CORS_ORIGIN", @"regex:\.bananacakepop\.com$")).Cors.Origin;

        Assert.True(origin.Allows("https://eat.bananacakepop.com"));
        Assert.False(origin.Allows("https://bananacakepop.com.evil.example"));
    }

    [Fact]
    public void CorsOrigin_list_matchesExactOriginsOnly()
    {
        var origin = Load(("CORS_ORIGIN", "http://localhost:3000,https://app.example.com")).Cors.Origin;

        Assert.True(origin.Allows("http://localhost:3000"));
        Assert.True(origin.Allows("HTTPS://APP.EXAMPLE.COM"));
        Assert.False(origin.Allows("http://localhost:3001"));
    }

    [Fact]
    public void Load_corsMaxAgeFalse_sendsNoMaxAge()
        => Assert.Null(Load(("CORS_MAX_AGE", "false")).Cors.MaxAge);

    [Theory]
    [InlineData("CORS_ENABLED", "yes")]
    [InlineData("CORS_CREDENTIALS", "maybe")]
    [InlineData("GRAPHQL_IDE", "off")]
    [InlineData("CORS_MAX_AGE", "-5")]
    [InlineData("CORS_ORIGIN", "app.example.com")]
    [InlineData("CORS_ORIGIN", "regex:([a-z")]
    public void Load_invalidValue_settingsExceptionNamesVariable(string key, string value)
        => Assert.Equal(key, Assert.Throws<SettingsException>(() => Load((key, value))).Variable);
}
