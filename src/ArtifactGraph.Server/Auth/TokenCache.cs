using System.Security.Cryptography;
using System.Text;
using ArtifactGraph.Server.Telemetry;
using BitFaster.Caching.Lru;

namespace ArtifactGraph.Server.Auth;

/// <summary>
/// What <see cref="DbTokenAuthenticator"/> learnt about tokens, keyed by their SHA-256 so that it never compares secrets
/// character by character. An answer is used for <see cref="CacheFor"/> and while the access rules are unchanged.
/// Tokens of users and unknown tokens are kept apart, each bounded and evicting the least recently used: a flood of
/// made-up tokens fills only its own cache, and the tokens real clients keep sending stay in theirs.
/// </summary>
public sealed class TokenCache
{
    /// <summary>How long a lookup's answer is used; a revoked token stops working once its entry expires.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    /// <summary>The most tokens of users kept.</summary>
    public const int KnownCapacity = 10_000;

    /// <summary>The most unknown tokens kept.</summary>
    public const int UnknownCapacity = 10_000;

    // Entries of users outlive their 5 seconds (until pushed out), so that the rate limiter can still tell whose token
    // it is (KnownUser); unknown tokens are dropped when they expire.
    private readonly ConcurrentLru<string, Entry> known = new(Environment.ProcessorCount, KnownCapacity, StringComparer.Ordinal);
    private readonly ConcurrentTLru<string, Entry> unknown = new(Environment.ProcessorCount, UnknownCapacity, StringComparer.Ordinal, CacheFor);

    private long knownHits;
    private long unknownHits;
    private long misses;

    public int KnownCount => known.Count;

    public int UnknownCount => unknown.Count;

    /// <summary>Lookups of a user's token answered from memory.</summary>
    public long KnownHits => Interlocked.Read(ref knownHits);

    /// <summary>Lookups of an unknown token answered from memory.</summary>
    public long UnknownHits => Interlocked.Read(ref unknownHits);

    /// <summary>
    /// Lookups answered from memory, lookups that went to the database, and entries dropped to make room or because they
    /// expired. Hits and misses are counted here: an entry of a user is kept after it stopped being fresh.
    /// </summary>
    public CacheCounts Counts => new(
        KnownHits + UnknownHits,
        Interlocked.Read(ref misses),
        (known.Metrics.Value?.Evicted ?? 0) + (unknown.Metrics.Value?.Evicted ?? 0));

    /// <summary>The cached answer for <paramref name="token"/> (null: no such active user), if still fresh.</summary>
    public bool TryGet(string token, DateTimeOffset now, long version, out Accountability? accountability)
    {
        var key = Key(token);
        if (known.TryGet(key, out var user) && user.IsFresh(now, version))
        {
            Interlocked.Increment(ref knownHits);
            accountability = user.Accountability;
            return true;
        }

        if (unknown.TryGet(key, out var none) && none.IsFresh(now, version))
        {
            Interlocked.Increment(ref unknownHits);
            accountability = null;
            return true;
        }

        Interlocked.Increment(ref misses);
        accountability = null;
        return false;
    }

    /// <summary>Keeps the database's answer for <paramref name="token"/> (null: no such active user).</summary>
    public void Add(string token, Accountability? accountability, DateTimeOffset now, long version)
    {
        var key = Key(token);
        var entry = new Entry(accountability, now + CacheFor, version);
        if (accountability is null)
        {
            known.TryRemove(key);
            unknown.AddOrUpdate(key, entry);
        }
        else
        {
            unknown.TryRemove(key);
            known.AddOrUpdate(key, entry);
        }
    }

    /// <summary>The user of a token accepted before, also after its entry expired.</summary>
    public Guid? KnownUser(string token) => known.TryGet(Key(token), out var user) ? user.Accountability?.UserId : null;

    private static string Key(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed record Entry(Accountability? Accountability, DateTimeOffset Expires, long Version)
    {
        public bool IsFresh(DateTimeOffset now, long version) => Expires > now && Version == version;
    }
}
