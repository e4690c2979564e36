using System.Threading.RateLimiting;

namespace ArtifactGraph.Server.Http;

/// <summary>A request allowed, or refused with the time left in the caller's window.</summary>
internal readonly record struct RateLimitDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static readonly RateLimitDecision Allow = new(true, TimeSpan.Zero);
}

/// <summary>Where the requests of each caller's window are counted (<c>RATE_LIMITER_STORE</c>).</summary>
internal interface IRateLimitStore
{
    /// <summary>Counts one request of <paramref name="caller"/>.</summary>
    ValueTask<RateLimitDecision> ConsumeAsync(string caller, CancellationToken cancellationToken);
}

/// <summary>
/// <c>memory</c>: this node's count, a <see cref="WindowRateLimiter"/> per caller, dropped by the partitioned limiter once
/// its window is over.
/// </summary>
internal sealed class MemoryRateLimitStore(int points, TimeSpan window, TimeProvider clock) : IRateLimitStore, IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(
        caller => RateLimitPartition.Get(caller, _ => new WindowRateLimiter(points, window, clock)));

    public ValueTask<RateLimitDecision> ConsumeAsync(string caller, CancellationToken cancellationToken)
    {
        using var lease = limiter.AttemptAcquire(caller);
        return new(lease.IsAcquired
            ? RateLimitDecision.Allow
            : new RateLimitDecision(false, lease.TryGetMetadata(MetadataName.RetryAfter, out var left) ? left : window));
    }

    public void Dispose() => limiter.Dispose();
}
