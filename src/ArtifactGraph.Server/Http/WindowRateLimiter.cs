using System.Threading.RateLimiting;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// The window of Directus's rate limiter (rate-limiter-flexible's memory store) for one caller: <c>points</c> requests in
/// a window of <c>duration</c> that starts with the caller's first request, the next window with the first request after
/// it ended. A refused lease tells exactly how long the window still runs (<see cref="MetadataName.RetryAfter"/>), which
/// the 429's message and <c>reset</c> report. (The built-in <c>FixedWindowRateLimiter</c> of a partitioned limiter
/// replenishes on a 100 ms heartbeat and reports the whole window instead.)
/// </summary>
internal sealed class WindowRateLimiter(int points, TimeSpan window, TimeProvider clock) : RateLimiter
{
    private static readonly RateLimitLease Acquired = new Lease(null);

    private readonly Lock gate = new();
    private long start = clock.GetTimestamp();
    private bool running;
    private int used;

    /// <summary>Idle once the window is over: the partitioned limiter may then drop this caller's state without losing anything.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (gate)
            {
                var elapsed = clock.GetElapsedTime(start);
                return !running ? elapsed : elapsed < window ? null : elapsed - window;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (gate)
        {
            return new RateLimiterStatistics { CurrentAvailablePermits = Math.Max(0, points - used) };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (gate)
        {
            var now = clock.GetTimestamp();
            if (!running || clock.GetElapsedTime(start, now) >= window)
            {
                (start, running, used) = (now, true, 0);
            }

            if (used + permitCount <= points && (permitCount > 0 || used < points))
            {
                used += permitCount;
                return Acquired;
            }

            return new Lease(window - clock.GetElapsedTime(start, now));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        => new(AttemptAcquireCore(permitCount));

    /// <summary>Acquired (no metadata), or refused with the time left in the window.</summary>
    private sealed class Lease(TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
