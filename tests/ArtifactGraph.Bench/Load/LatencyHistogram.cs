namespace ArtifactGraph.Bench.Load;

/// <summary>
/// Latencies in microseconds, in log-linear buckets (exact below 1,024 µs, then 512 buckets per power of two:
/// within 0.2 % of the true value) so that percentiles cost a fixed ~140 KB whatever the run's length.
/// Not thread-safe: one per worker, merged at the end.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 512;
    private const int Linear = 2 * SubBuckets;
    private const int Magnitudes = 32;

    private readonly long[] _counts = new long[Linear + (Magnitudes * SubBuckets)];
    private long _sum;

    public long Count { get; private set; }

    public long Max { get; private set; }

    public double Mean => Count == 0 ? 0 : (double)_sum / Count;

    public void Record(long microseconds)
    {
        var value = Math.Max(0, microseconds);
        _counts[Index(value)]++;
        Count++;
        _sum += value;
        Max = Math.Max(Max, value);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        _sum += other._sum;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The latency that <paramref name="percentile"/> % of the recorded ones do not exceed (upper edge of its bucket).</summary>
    public long Percentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(percentile / 100 * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= Math.Max(1, rank))
            {
                return Math.Min(UpperEdge(i), Max);
            }
        }

        return Max;
    }

    private static int Index(long value)
    {
        if (value < Linear)
        {
            return (int)value;
        }

        // value = [SubBuckets, 2·SubBuckets) << shift; the shift picks the magnitude, the top bits the sub-bucket.
        var shift = (int)Math.Min(Magnitudes - 1, (63 - long.LeadingZeroCount(value)) - 9);
        var sub = Math.Min(Linear - 1, value >> shift) - SubBuckets;
        return Linear + ((shift - 1) * SubBuckets) + (int)sub;
    }

    private static long UpperEdge(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var shift = ((index - Linear) / SubBuckets) + 1;
        var sub = ((index - Linear) % SubBuckets) + SubBuckets;
        return ((sub + 1L) << shift) - 1;
    }
}
