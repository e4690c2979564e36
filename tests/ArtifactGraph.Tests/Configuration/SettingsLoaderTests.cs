using ArtifactGraph.Data;
using ArtifactGraph.Server.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ArtifactGraph.Tests.Configuration;

public sealed class SettingsLoaderTests
{
    private static ServerSettings Load(params (string Key, string Value)[] values) => EnvironmentSettings.Load(values);

    [Fact]
    public void Load_nothingSet_usesDirectusDefaults()
    {
        var settings = Load();

        Assert.Equal(DatabaseClient.Sqlite, settings.DbClient);
        Assert.Equal("Data Source=./data/artifactgraph.db", settings.ConnectionString);
        Assert.Equal(8055, settings.Port);
        Assert.Equal(100, settings.QueryLimitDefault);
        Assert.Null(settings.QueryLimitMax);
        Assert.Equal(5000, settings.GraphQLQueryTokenLimit);
        Assert.Equal(1024 * 1024, settings.MaxPayloadSize);
        Assert.Null(settings.MaxFileSize);
        Assert.Equal(10, settings.MaxRelationalDepth);
        Assert.Equal("./uploads", settings.StorageLocalRoot);
        Assert.Null(settings.AdminToken);
        Assert.False(settings.DbThreadSafetyChecks);
        Assert.True(Load(("DB_THREAD_SAFETY_CHECKS", "true")).DbThreadSafetyChecks);
    }

    [Theory]
    [InlineData("pg")]
    [InlineData("postgres")]
    [InlineData("PostgreSQL")]
    public void Load_pgClientWithUri_buildsNpgsqlConnectionString(string client)
    {
        var settings = Load(("DB_CLIENT", client), ("DB_CONNECTION_STRING", "postgres://ag%40user:p%3Ass@db.example:6543/artifacts?sslmode=require"));

        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal(DatabaseClient.Postgres, settings.DbClient);
        Assert.Equal(("db.example", 6543, "artifacts", "ag@user", "p:ss", SslMode.Require),
            (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password, builder.SslMode));
    }

    [Fact]
    public void Load_pgClientWithKeyValueString_keepsIt()
    {
        var settings = Load(("DB_CLIENT", "pg"), ("DB_CONNECTION_STRING", "Host=h;Database=d;Username=u"));

        Assert.Equal("h", new NpgsqlConnectionStringBuilder(settings.ConnectionString).Host);
    }

    [Fact]
    public void Load_pgClientWithParts_buildsConnectionString()
    {
        var settings = Load(("DB_CLIENT", "pg"), ("DB_HOST", "h"), ("DB_DATABASE", "d"), ("DB_USER", "u"), ("DB_PASSWORD", "p"));

        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal(("h", 5432, "d", "u", "p"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
    }

    [Fact]
    public void Load_everyValueSet_readsThem()
    {
        var settings = Load(
            ("DB_FILENAME", "/tmp/x.db"), ("HOST", "127.0.0.1"), ("PORT", "9000"), ("PUBLIC_URL", "https://ag.example/"),
            ("ADMIN_TOKEN", "t"), ("ADMIN_EMAIL", "a@b.c"), ("QUERY_LIMIT_DEFAULT", "25"), ("QUERY_LIMIT_MAX", "500"),
            ("GRAPHQL_QUERY_TOKEN_LIMIT", "100"), ("MAX_PAYLOAD_SIZE", "2mb"), ("MAX_RELATIONAL_DEPTH", "4"),
            ("STORAGE_LOCAL_ROOT", "/srv/uploads"), ("LOG_LEVEL", "WARN"));

        Assert.Equal("Data Source=/tmp/x.db", settings.ConnectionString);
        Assert.Equal(("127.0.0.1", 9000, "https://ag.example", "t", "a@b.c"),
            (settings.Host, settings.Port, settings.PublicUrl, settings.AdminToken, settings.AdminEmail));
        Assert.Equal((25, (int?)500, 100, 2L * 1024 * 1024, 4),
            (settings.QueryLimitDefault, settings.QueryLimitMax, settings.GraphQLQueryTokenLimit, settings.MaxPayloadSize, settings.MaxRelationalDepth));
        Assert.Equal(("/srv/uploads", LogLevel.Warning), (settings.StorageLocalRoot, settings.LogLevel));
    }

    [Fact]
    public void Load_batchSizes_readThemOrTakeTheDefaults()
    {
        Assert.Equal((4096, 1000), (Load().QueryFirstBatchSize, Load().QueryBatchSize));
        var settings = Load(("QUERY_FIRST_BATCH_SIZE", "2000"), ("QUERY_BATCH_SIZE", "250"));
        Assert.Equal((2000, 250), (settings.QueryFirstBatchSize, settings.QueryBatchSize));
    }

    [Theory]
    [InlineData("fatal", LogLevel.Critical)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("trace", LogLevel.Trace)]
    [InlineData("silent", LogLevel.None)]
    [InlineData(" Debug ", LogLevel.Debug)]
    [InlineData("", LogLevel.Information)]
    public void Load_logLevel_mapsDirectusNamesToAspNetCoreLevels(string value, LogLevel level)
        => Assert.Equal(level, Load(("LOG_LEVEL", value)).LogLevel);

    [Fact]
    public void Load_unknownLogLevel_namesTheAcceptedValues()
    {
        var error = Assert.Throws<SettingsException>(() => Load(("LOG_LEVEL", "verbose")));

        Assert.Equal("LOG_LEVEL: 'verbose' is not one of trace, debug, info, warn, error, fatal, silent.", error.Message);
    }

    [Theory]
    [InlineData("500kb", 500 * 1024L)]
    [InlineData("2MB", 2 * 1024 * 1024L)]
    [InlineData("1gb", 1024 * 1024 * 1024L)]
    [InlineData("1.5kb", 1536L)]
    [InlineData("4096", 4096L)]
    [InlineData("10b", 10L)]
    public void Load_maxPayloadSize_parsesUnits(string value, long bytes)
        => Assert.Equal(bytes, Load(("MAX_PAYLOAD_SIZE", value)).MaxPayloadSize);

    [Fact]
    public void Load_maxFileSize_parsesUnits() => Assert.Equal(64 * 1024L, Load(("MAX_FILE_SIZE", "64kb")).MaxFileSize);

    [Theory]
    [InlineData("DB_CLIENT", "mysql")]
    [InlineData("PORT", "eighty")]
    [InlineData("PORT", "70000")]
    [InlineData("QUERY_LIMIT_DEFAULT", "0")]
    [InlineData("QUERY_LIMIT_MAX", "lots")]
    [InlineData("GRAPHQL_QUERY_TOKEN_LIMIT", "-5")]
    [InlineData("MAX_PAYLOAD_SIZE", "2 parsecs")]
    [InlineData("MAX_FILE_SIZE", "huge")]
    [InlineData("MAX_RELATIONAL_DEPTH", "1")]
    [InlineData("QUERY_FIRST_BATCH_SIZE", "0")]
    [InlineData("QUERY_BATCH_SIZE", "many")]
    [InlineData("PUBLIC_URL", "not a url")]
    [InlineData("LOG_LEVEL", "loud")]
    [InlineData("GRAPHQL_INTROSPECTION", "no")]
    [InlineData("GRAPHQL_QUERY_TIMEOUT", "-1")]
    [InlineData("GRAPHQL_QUERY_TIMEOUT", "30s")]
    [InlineData("GRAPHQL_DIRECT_READS", "maybe")]
    [InlineData("DB_COMPILED_QUERIES", "maybe")]
    [InlineData("DB_THREAD_SAFETY_CHECKS", "sure")]
    [InlineData("RATE_LIMITER_ENABLED", "yes")]
    [InlineData("RATE_LIMITER_POINTS", "0")]
    [InlineData("RATE_LIMITER_DURATION", "1.5")]
    public void Load_invalidValue_throwsNamingTheVariable(string key, string value)
    {
        var error = Assert.Throws<SettingsException>(() => Load((key, value)));

        Assert.Equal(key, error.Variable);
        Assert.StartsWith(key + ": ", error.Message);
    }

    [Theory]
    [InlineData("DB_POOL:MAX")] // DB_POOL__MAX in the environment
    [InlineData("DB_POOL__MAX")] // as written in appsettings.json or a .env file
    public void Load_dbPoolMax_boundsTheNpgsqlPoolOverTheConnectionString(string key)
    {
        var settings = Load(("DB_CLIENT", "pg"), ("DB_CONNECTION_STRING", "Host=h;Database=d;Maximum Pool Size=50"), (key, "6"), ("DB_POOL:MIN", "2"));

        var pooled = new NpgsqlConnectionStringBuilder(ArtifactGraphDbOptions.PooledPostgres(settings.ConnectionString));
        Assert.Equal((6, 2), (pooled.MaxPoolSize, pooled.MinPoolSize));
    }

    [Fact]
    public void Load_noDbPool_leavesTheBoundToTheConnectionStringOrTheDefault()
    {
        var unset = Load(("DB_CLIENT", "pg"), ("DB_HOST", "h"), ("DB_DATABASE", "d"), ("DB_POOL:MIN", "1"));
        Assert.Equal((ArtifactGraphDbOptions.DefaultMaxPoolSize, 1), Pool(unset));

        var fromString = Load(("DB_CLIENT", "pg"), ("DB_CONNECTION_STRING", "Host=h;Database=d;MaxPoolSize=9"));
        Assert.Equal((9, 0), Pool(fromString));

        static (int, int) Pool(ServerSettings settings)
        {
            var pooled = new NpgsqlConnectionStringBuilder(ArtifactGraphDbOptions.PooledPostgres(settings.ConnectionString));
            return (pooled.MaxPoolSize, pooled.MinPoolSize);
        }
    }

    /// <summary>One rule for a minimum above the default maximum, whether DB_POOL__MIN or the connection string asks for it.</summary>
    [Fact]
    public void Load_dbPoolMinAboveTheDefaultMaximum_raisesTheMaximumUnlessOneWasChosen()
    {
        var min = ArtifactGraphDbOptions.DefaultMaxPoolSize + 3;
        var raised = Load(("DB_CLIENT", "pg"), ("DB_HOST", "h"), ("DB_DATABASE", "d"), ("DB_POOL:MIN", $"{min}"));
        var pooled = new NpgsqlConnectionStringBuilder(ArtifactGraphDbOptions.PooledPostgres(raised.ConnectionString));
        Assert.Equal((min, min), (pooled.MaxPoolSize, pooled.MinPoolSize));

        var fromString = new NpgsqlConnectionStringBuilder(ArtifactGraphDbOptions.PooledPostgres($"Host=h;Database=d;Minimum Pool Size={min}"));
        Assert.Equal((min, min), (fromString.MaxPoolSize, fromString.MinPoolSize));

        foreach (var chosen in new[] { ("DB_POOL:MAX", "2"), ("DB_CONNECTION_STRING", "Host=h;Database=d;Maximum Pool Size=2") })
        {
            var error = Assert.Throws<SettingsException>(() => Load(("DB_CLIENT", "pg"), ("DB_HOST", "h"), ("DB_DATABASE", "d"), ("DB_POOL:MIN", $"{min}"), chosen));
            Assert.Equal("DB_POOL__MIN", error.Variable);
        }
    }

    [Theory]
    [InlineData("DB_POOL:MAX", "0", "DB_POOL__MAX")]
    [InlineData("DB_POOL:MAX", "many", "DB_POOL__MAX")]
    [InlineData("DB_POOL__MAX", "-3", "DB_POOL__MAX")]
    [InlineData("DB_POOL:MIN", "-1", "DB_POOL__MIN")]
    [InlineData("DB_POOL:MIN", "2000", "DB_POOL__MIN")]
    public void Load_invalidDbPool_throwsNamingTheVariable(string key, string value, string variable)
    {
        var error = Assert.Throws<SettingsException>(() => Load(("DB_CLIENT", "pg"), ("DB_HOST", "h"), ("DB_DATABASE", "d"), (key, value)));

        Assert.Equal(variable, error.Variable);
        Assert.StartsWith(variable + ": ", error.Message);
    }

    [Theory]
    [InlineData("DB_CONNECTION_STRING", "postgres://")]
    [InlineData("DB_CONNECTION_STRING", "Nonsense Keyword=1")]
    [InlineData("DB_HOST", "")]
    public void Load_invalidPostgresConnection_throwsNamingTheVariable(string key, string value)
    {
        var error = Assert.Throws<SettingsException>(() => Load(("DB_CLIENT", "pg"), (key, value)));

        Assert.Equal(key, error.Variable);
    }
}
