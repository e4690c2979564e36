namespace ArtifactGraph.Server.Configuration;

/// <summary>
/// Directus's data cache (<c>CACHE_*</c>, off by default): answers of reads kept in memory and served again to the same
/// user for the same request until they expire or a write purges them (see <see cref="Caching.ResponseCache"/>).
/// </summary>
public sealed record CacheSettings
{
    /// <summary><c>CACHE_ENABLED</c> (false).</summary>
    public bool Enabled { get; init; }

    /// <summary><c>CACHE_TTL</c>: how long an answer is kept (5m).</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>CACHE_AUTO_PURGE</c>: every committed write empties the cache, on every node (false).</summary>
    public bool AutoPurge { get; init; }

    /// <summary><c>CACHE_AUTO_PURGE_IGNORE_LIST</c>: collections whose writes purge nothing (<c>directus_activity,directus_presets</c>).</summary>
    public IReadOnlyList<string> AutoPurgeIgnoreList { get; init; } = ["directus_activity", "directus_presets"];

    /// <summary><c>CACHE_CONTROL_S_MAXAGE</c>: the <c>s-maxage</c> of a cached answer's <c>Cache-Control</c>; null for none.</summary>
    public int? ControlSMaxAge { get; init; }

    /// <summary><c>CACHE_STATUS_HEADER</c>: the response header that says <c>HIT</c> or <c>MISS</c>; null for none.</summary>
    public string? StatusHeader { get; init; }

    /// <summary><c>CACHE_VALUE_MAX_SIZE</c>: the largest answer kept, in bytes; null for no limit of its own.</summary>
    public long? ValueMaxSize { get; init; }

    /// <summary><c>CACHE_SKIP_ALLOWED</c>: a request with <c>Cache-Control: no-store</c> bypasses the cache (false).</summary>
    public bool SkipAllowed { get; init; }

    /// <summary><c>CACHE_STORE</c>: <c>memory</c> (each node its own) or <c>redis</c> (one cache for every node, in <see cref="Redis"/>).</summary>
    public string Store { get; init; } = "memory";

    /// <summary><c>CACHE_NAMESPACE</c>: what the cache's Redis keys begin with (<c>system-cache</c>).</summary>
    public string Namespace { get; init; } = "system-cache";

    /// <summary>Directus's <c>REDIS</c> settings, for <c>CACHE_STORE=redis</c>.</summary>
    public RedisSettings? Redis { get; init; }

    /// <summary>
    /// <c>CACHE_MEMORY_LIMIT</c> (ArtifactGraph's own): the most bytes of answers a node keeps, the least recently used
    /// dropped first (64mb); an answer larger than a quarter of it is not kept.
    /// </summary>
    public long MemoryLimit { get; init; } = 64L << 20;

    /// <summary>Whether a write purges the answers of <paramref name="collection"/>'s readers.</summary>
    public bool Purges(string collection) => AutoPurge && !AutoPurgeIgnoreList.Contains(collection, StringComparer.Ordinal);
}
