namespace ArtifactGraph.Server.Configuration;

/// <summary>The <c>RATE_LIMITER_*</c> settings, with Directus's names and defaults.</summary>
public sealed record RateLimiterSettings
{
    /// <summary><c>RATE_LIMITER_ENABLED</c>: limit the requests per caller at all (false).</summary>
    public bool Enabled { get; init; }

    /// <summary><c>RATE_LIMITER_POINTS</c>: the requests a caller may make in one window (50).</summary>
    public int Points { get; init; } = 50;

    /// <summary><c>RATE_LIMITER_DURATION</c>: the window, in seconds (1).</summary>
    public int Duration { get; init; } = 1;

    /// <summary>
    /// <c>RATE_LIMITER_STORE</c>: <c>memory</c> (each node counts on its own) or <c>redis</c> (one count for all nodes, in the
    /// Redis that <see cref="Redis"/> names).
    /// </summary>
    public string Store { get; init; } = "memory";

    /// <summary>Directus's <c>REDIS*</c> settings; required when <see cref="Store"/> is <c>redis</c>.</summary>
    public RedisSettings? Redis { get; init; }
}
