using ArtifactGraph.Server.Configuration;

namespace ArtifactGraph.Tests.Configuration;

/// <summary>Directus's <c>CACHE_*</c> settings, with its names and defaults, and <c>CACHE_MEMORY_LIMIT</c>.</summary>
public sealed class CacheSettingsTests
{
    private static CacheSettings Load(params (string Key, string Value)[] values) => EnvironmentSettings.Load(values).Cache;

    [Fact]
    public void Load_nothingSet_directusDefaults()
    {
        var cache = Load();

        Assert.Equal(
            (false, TimeSpan.FromMinutes(5), false, "directus_activity,directus_presets", (int?)null, (string?)null, (long?)null, false, "memory", 64L << 20),
            (cache.Enabled, cache.Ttl, cache.AutoPurge, string.Join(",", cache.AutoPurgeIgnoreList), cache.ControlSMaxAge, cache.StatusHeader, cache.ValueMaxSize,
                cache.SkipAllowed, cache.Store, cache.MemoryLimit));
    }

    [Fact]
    public void Load_everythingSet_read()
    {
        var cache = Load(
            ("CACHE_ENABLED", "true"), ("CACHE_TTL", "30s"), ("CACHE_AUTO_PURGE", "1"), ("CACHE_AUTO_PURGE_IGNORE_LIST", "tasks,projects"),
            ("CACHE_CONTROL_S_MAXAGE", "0"), ("CACHE_STATUS_HEADER", "X-Cache-Status"), ("CACHE_VALUE_MAX_SIZE", "2mb"), ("CACHE_SKIP_ALLOWED", "true"),
            ("CACHE_STORE", "REDIS"), ("CACHE_MEMORY_LIMIT", "1gb"), ("REDIS", "redis://cache/3"), ("CACHE_NAMESPACE", "team"));

        Assert.Equal(
            (true, TimeSpan.FromSeconds(30), true, "tasks,projects", (int?)0, "X-Cache-Status", (long?)(2L << 20), true, "redis", 1L << 30),
            (cache.Enabled, cache.Ttl, cache.AutoPurge, string.Join(",", cache.AutoPurgeIgnoreList), cache.ControlSMaxAge, cache.StatusHeader, cache.ValueMaxSize,
                cache.SkipAllowed, cache.Store, cache.MemoryLimit));
        Assert.Equal((false, true), (cache.Purges("tasks"), cache.Purges("artifact_versions")));
        Assert.Equal(("cache", 3, "team"), (cache.Redis!.Host, cache.Redis.Database, cache.Namespace));
    }

    [Theory]
    [InlineData("CACHE_STORE", "memcached", "CACHE_STORE: 'memcached' is not supported; use memory or redis.")]
    [InlineData("CACHE_TTL", "soon", "CACHE_TTL: 'soon' is not a duration such as 90d, 12h or 30m.")]
    [InlineData("CACHE_TTL", "0", "CACHE_TTL: '0' is not a positive duration such as 5m or 30s.")]
    [InlineData("CACHE_VALUE_MAX_SIZE", "big", "CACHE_VALUE_MAX_SIZE: 'big' is not a size (examples: 1048576, 500kb, 2mb, 1gb).")]
    [InlineData("CACHE_ENABLED", "yes", "CACHE_ENABLED: 'yes' is not true or false.")]
    public void Load_badValue_namesTheVariable(string key, string value, string message)
        => Assert.Equal(message, Assert.Throws<SettingsException>(() => Load((key, value))).Message);

    [Fact]
    public void Load_redisStoreWithoutRedis_refusesToStart()
        => Assert.Equal(
            "CACHE_STORE: redis needs REDIS (a redis:// URL) or REDIS_HOST.",
            Assert.Throws<SettingsException>(() => Load(("CACHE_ENABLED", "true"), ("CACHE_STORE", "redis"))).Message);
}
