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
