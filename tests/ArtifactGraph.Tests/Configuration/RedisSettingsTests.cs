using ArtifactGraph.Server.Configuration;

namespace ArtifactGraph.Tests.Configuration;

/// <summary><c>RATE_LIMITER_STORE</c> and Directus's <c>REDIS*</c> settings.</summary>
public sealed class RedisSettingsTests
{
    private static ServerSettings Load(params (string Key, string Value)[] values) => EnvironmentSettings.Load(values);

    [Fact]
    public void Load_nothingSet_memoryStoreWithoutRedis()
        => Assert.Equal(("memory", (RedisSettings?)null), (Load().RateLimiter.Store, Load().RateLimiter.Redis));

    [Theory]
    [InlineData("redis://cache:6380/2", "cache", 6380, null, null, 2, false)]
    [InlineData("redis://cache", "cache", 6379, null, null, 0, false)]
    [InlineData("redis://:s%40cret@cache", "cache", 6379, null, "s@cret", 0, false)]
    [InlineData("rediss://app:pw@cache.example:6390/15", "cache.example", 6390, "app", "pw", 15, true)]
    public void Load_redisUrl_readsEveryPart(string url, string host, int port, string? user, string? password, int db, bool tls)
        => Assert.Equal(new RedisSettings(host, port, user, password, db, tls), Load(("REDIS", url)).RateLimiter.Redis);

    [Fact]
    public void Load_redisHostAndCompanions_readsThem()
        => Assert.Equal(
            new RedisSettings("cache", 6380, "app", "pw", 3),
            Load(("REDIS_HOST", "cache"), ("REDIS_PORT", "6380"), ("REDIS_USERNAME", "app"), ("REDIS_PASSWORD", "pw"), ("REDIS_DB", "3")).RateLimiter.Redis);

    [Fact]
    public void Load_redisStore_keepsTheRedisSettings()
    {
        var limiter = Load(("RATE_LIMITER_ENABLED", "true"), ("RATE_LIMITER_STORE", "REDIS"), ("REDIS", "redis://cache")).RateLimiter;

        Assert.Equal(("redis", "cache"), (limiter.Store, limiter.Redis!.Host));
    }

    [Theory]
    [InlineData("RATE_LIMITER_STORE", "memcached", "RATE_LIMITER_STORE: 'memcached' is not supported; use memory or redis.")]
    [InlineData("REDIS", "http://cache", "REDIS: 'http://cache' is not a redis:// or rediss:// URL.")]
    [InlineData("REDIS", "redis://cache/first", "REDIS: 'first' is not a database number.")]
    public void Load_badValue_namesTheVariable(string key, string value, string message)
        => Assert.Equal(message, Assert.Throws<SettingsException>(() => Load((key, value))).Message);

    [Fact]
    public void Load_redisStoreWithoutRedis_refusesToStart()
        => Assert.Equal(
            "RATE_LIMITER_STORE: redis needs REDIS (a redis:// URL) or REDIS_HOST.",
            Assert.Throws<SettingsException>(() => Load(("RATE_LIMITER_ENABLED", "true"), ("RATE_LIMITER_STORE", "redis"))).Message);
}
