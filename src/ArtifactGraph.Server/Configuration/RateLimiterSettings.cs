namespace ArtifactGraph.Server.Configuration;

/// <summary>The <c>RATE_LIMITER_*</c> settings, with Directus's names and defaults (memory store only).</summary>
public sealed record RateLimiterSettings
{
    /// <summary><c>RATE_LIMITER_ENABLED</c>: limit the requests per caller at all (false).</summary>
    public bool Enabled { get; init; }

    /// <summary><c>RATE_LIMITER_POINTS</c>: the requests a caller may make in one window (50).</summary>
    public int Points { get; init; } = 50;

    /// <summary><c>RATE_LIMITER_DURATION</c>: the window, in seconds (1).</summary>
    public int Duration { get; init; } = 1;
}
