using System.Text.RegularExpressions;

namespace ArtifactGraph.Server.Configuration;

/// <summary>The transport's settings: <c>GRAPHQL_IDE</c>, Directus's <c>CORS_*</c>, <c>RATE_LIMITER_*</c> and <c>REDIS*</c>.</summary>
public static partial class SettingsLoader
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private static CorsSettings ReadCors(IConfiguration configuration)
    {
        var defaults = new CorsSettings();
        return new CorsSettings
        {
            Enabled = ReadBool(configuration, "CORS_ENABLED", defaults.Enabled),
            Origin = ReadCorsOrigin(configuration),
            Methods = ReadList(configuration, "CORS_METHODS") ?? defaults.Methods,
            AllowedHeaders = ReadList(configuration, "CORS_ALLOWED_HEADERS") ?? defaults.AllowedHeaders,
            ExposedHeaders = ReadList(configuration, "CORS_EXPOSED_HEADERS") ?? defaults.ExposedHeaders,
            Credentials = ReadBool(configuration, "CORS_CREDENTIALS", defaults.Credentials),
            MaxAge = Get(configuration, "CORS_MAX_AGE")?.ToLowerInvariant() == "false" ? null : ReadInt(configuration, "CORS_MAX_AGE", 18000, min: 0),
        };
    }

    private static RateLimiterSettings ReadRateLimiter(IConfiguration configuration)
    {
        var defaults = new RateLimiterSettings();
        var enabled = ReadBool(configuration, "RATE_LIMITER_ENABLED", defaults.Enabled);
        var store = Get(configuration, "RATE_LIMITER_STORE")?.ToLowerInvariant() ?? defaults.Store;
        if (store is not ("memory" or "redis"))
        {
            throw new SettingsException("RATE_LIMITER_STORE", $"'{store}' is not supported; use memory or redis.");
        }

        var redis = ReadRedis(configuration);
        if (enabled && store == "redis" && redis is null)
        {
            throw new SettingsException("RATE_LIMITER_STORE", "redis needs REDIS (a redis:// URL) or REDIS_HOST.");
        }

        return new RateLimiterSettings
        {
            Enabled = enabled,
            Points = ReadInt(configuration, "RATE_LIMITER_POINTS", defaults.Points, min: 1),
            Duration = ReadInt(configuration, "RATE_LIMITER_DURATION", defaults.Duration, min: 1),
            Store = store,
            Redis = redis,
        };
    }

    private static CacheSettings ReadCache(IConfiguration configuration)
    {
        var defaults = new CacheSettings();
        var store = Get(configuration, "CACHE_STORE")?.ToLowerInvariant() ?? defaults.Store;
        if (store is not ("memory" or "redis"))
        {
            throw new SettingsException("CACHE_STORE", $"'{store}' is not supported; use memory or redis.");
        }

        var enabled = ReadBool(configuration, "CACHE_ENABLED", defaults.Enabled);
        var redis = ReadRedis(configuration);
        if (enabled && store == "redis" && redis is null)
        {
            throw new SettingsException("CACHE_STORE", "redis needs REDIS (a redis:// URL) or REDIS_HOST.");
        }

        return new CacheSettings
        {
            Enabled = enabled,
            Redis = redis,
            Namespace = Get(configuration, "CACHE_NAMESPACE") ?? defaults.Namespace,
            Ttl = Get(configuration, "CACHE_TTL") is { } ttl
                ? Activity.RetentionSettings.Duration("CACHE_TTL", ttl) is { } span && span > TimeSpan.Zero
                    ? span
                    : throw new SettingsException("CACHE_TTL", $"'{ttl}' is not a positive duration such as 5m or 30s.")
                : defaults.Ttl,
            AutoPurge = ReadBool(configuration, "CACHE_AUTO_PURGE", defaults.AutoPurge),
            AutoPurgeIgnoreList = ReadList(configuration, "CACHE_AUTO_PURGE_IGNORE_LIST") ?? defaults.AutoPurgeIgnoreList,
            ControlSMaxAge = Get(configuration, "CACHE_CONTROL_S_MAXAGE") is { } sMaxAge && !sMaxAge.Equals("false", StringComparison.OrdinalIgnoreCase)
                ? ReadInt(configuration, "CACHE_CONTROL_S_MAXAGE", 0, min: 0)
                : null,
            StatusHeader = Get(configuration, "CACHE_STATUS_HEADER") is { } header && !header.Equals("false", StringComparison.OrdinalIgnoreCase) ? header : null,
            ValueMaxSize = ReadOptionalSize(configuration, "CACHE_VALUE_MAX_SIZE"),
            SkipAllowed = ReadBool(configuration, "CACHE_SKIP_ALLOWED", defaults.SkipAllowed),
            Store = store,
            MemoryLimit = ReadOptionalSize(configuration, "CACHE_MEMORY_LIMIT") ?? defaults.MemoryLimit,
        };
    }

    /// <summary>A size such as <c>2mb</c> (<see cref="ReadSize"/>); null when unset or <c>false</c>.</summary>
    private static long? ReadOptionalSize(IConfiguration configuration, string key)
        => Get(configuration, key) is not { } text || text.Equals("false", StringComparison.OrdinalIgnoreCase) ? null : ReadSize(configuration, key, 0);

    /// <summary>Directus's <c>REDIS</c> URL, else <c>REDIS_HOST</c> and its companions; null when neither is set.</summary>
    private static RedisSettings? ReadRedis(IConfiguration configuration)
    {
        if (Get(configuration, "REDIS") is { } url)
        {
            return RedisSettings.FromUrl(url);
        }

        return Get(configuration, "REDIS_HOST") is { } host
            ? new RedisSettings(
                host,
                ReadInt(configuration, "REDIS_PORT", 6379, min: 1, max: 65535),
                Get(configuration, "REDIS_USERNAME"),
                Get(configuration, "REDIS_PASSWORD"),
                ReadInt(configuration, "REDIS_DB", 0, min: 0))
            : null;
    }

    /// <summary>Directus's <c>toBoolean</c>: <c>true</c>/<c>1</c> and <c>false</c>/<c>0</c>.</summary>
    private static bool ReadBool(IConfiguration configuration, string key, bool fallback)
        => Get(configuration, key)?.ToLowerInvariant() switch
        {
            null => fallback,
            "true" or "1" => true,
            "false" or "0" => false,
            var other => throw new SettingsException(key, $"'{other}' is not true or false."),
        };

    /// <summary>A comma-separated list (Directus's <c>array:</c> prefix allowed); null when unset.</summary>
    private static IReadOnlyList<string>? ReadList(IConfiguration configuration, string key)
    {
        var text = Get(configuration, key);
        if (text is null)
        {
            return null;
        }

        if (text.StartsWith("array:", StringComparison.Ordinal))
        {
            text = text["array:".Length..];
        }

        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static CorsOrigin ReadCorsOrigin(IConfiguration configuration)
    {
        const string key = "CORS_ORIGIN";
        var text = Get(configuration, key);
        switch (text?.ToLowerInvariant())
        {
            case null or "false" or "0":
                return CorsOrigin.None;
            case "true" or "1":
                return CorsOrigin.Reflect;
            case "*":
                return CorsOrigin.Any;
        }

        if (text!.StartsWith("regex:", StringComparison.Ordinal))
        {
            try
            {
                return CorsOrigin.Matching(new Regex(text["regex:".Length..], RegexOptions.CultureInvariant, RegexTimeout));
            }
            catch (ArgumentException ex)
            {
                throw new SettingsException(key, $"'{text}' is not a valid regular expression: {ex.Message}", ex);
            }
        }

        var origins = ReadList(configuration, key)!;
        foreach (var origin in origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new SettingsException(key,
                    $"'{origin}' is not an origin such as https://app.example.com (use true, *, a comma-separated list or regex:<pattern>).");
            }
        }

        return CorsOrigin.List(origins.Select(o => o.TrimEnd('/')));
    }
}
