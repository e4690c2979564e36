using System.Buffers.Binary;
using System.Text;
using StackExchange.Redis;

namespace ArtifactGraph.Server.Caching;

/// <summary>
/// <c>CACHE_STORE=redis</c>: the data cache's answers in Redis, shared by every node, as Directus keeps them. Each answer
/// is a key under the cache's current generation (<c>&lt;CACHE_NAMESPACE&gt;:artifactgraph:&lt;generation&gt;:&lt;request key&gt;</c>,
/// expiring with its TTL); a purge increments the generation, so every node stops seeing every older answer at once, and
/// an answer read before the purge is stored under the generation its lookup saw, where nobody looks again. A lookup
/// reads the generation and the answer in one round trip (a Lua script).
/// <para>
/// Redis away: a lookup is a miss and nothing is stored (the node reads the database), and a purge that could not be sent
/// is sent again before the next lookup is trusted, so an outage never lets an answer older than a write be served; a
/// write never waits for Redis. A warning is logged once per outage.
/// </para>
/// </summary>
internal sealed class RedisResponseStore(IConnectionMultiplexer redis, string cacheNamespace, ILogger logger)
{
    private readonly string prefix = cacheNamespace + ":artifactgraph:";

    private string GenerationKey => prefix + "generation";

    private static readonly LuaScript Lookup = LuaScript.Prepare(
        """
        local generation = redis.call('GET', @generation) or '0'
        return { generation, redis.call('GET', @prefix .. generation .. ':' .. @key) }
        """);

    private int unreachable;

    // Purges asked for (a ticket each) and the latest one an increment is known to have covered: an increment sent after
    // a purge was asked for covers it and every purge asked for before it. Lookups trust Redis only when none is owed.
    private long requested;
    private long covered;

    /// <summary>
    /// The current generation and the answer kept under it (null: none); null generation when Redis is away. A purge this
    /// node asked for and has not seen sent yet is sent first, so a read after a write never sees the answers before it.
    /// </summary>
    public async Task<(string? Generation, byte[]? Value)> GetAsync(string key)
    {
        if (!redis.IsConnected)
        {
            // Not connected: the database answers now rather than after the client's timeout; the connection comes back
            // on its own, and then any purge owed meanwhile is sent before the first lookup.
            Away(null);
            return (null, null);
        }

        try
        {
            var owed = Interlocked.Read(ref requested);
            if (owed > Interlocked.Read(ref covered))
            {
                await redis.GetDatabase().StringIncrementAsync(GenerationKey);
                Cover(owed);
            }

            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
                Lookup, new { generation = (RedisKey)GenerationKey, prefix, key }))!;
            Back();
            return ((string?)result[0], result[1].IsNull ? null : (byte[]?)result[1]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Away(ex);
            return (null, null);
        }
    }

    public async Task SetAsync(string generation, string key, byte[] value, TimeSpan ttl)
    {
        try
        {
            await redis.GetDatabase().StringSetAsync(prefix + generation + ":" + key, value, ttl);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Away(ex);
        }
    }

    /// <summary>
    /// Moves every node to a new generation. It returns at once (a write never waits for Redis, nor for its timeout when
    /// Redis is away): the increment is sent in the background, and until it is known to be done this node's lookups send
    /// one themselves first.
    /// </summary>
    public void Purge()
    {
        var ticket = Interlocked.Increment(ref requested);
        _ = IncrementAsync(ticket);
    }

    private async Task IncrementAsync(long ticket)
    {
        try
        {
            await redis.GetDatabase().StringIncrementAsync(GenerationKey);
            Cover(ticket);
            Back();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Away(ex);
        }
    }

    private void Cover(long ticket)
    {
        var seen = Interlocked.Read(ref covered);
        while (ticket > seen)
        {
            var before = Interlocked.CompareExchange(ref covered, ticket, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }

    /// <summary>An answer as stored: when it expires (Unix ms), its content type, its ETag, its body.</summary>
    public static byte[] Pack(DateTimeOffset expires, string contentType, string etag, byte[] body)
    {
        var type = Encoding.UTF8.GetBytes(contentType);
        var tag = Encoding.UTF8.GetBytes(etag);
        var packed = new byte[8 + 2 + type.Length + 2 + tag.Length + body.Length];
        var span = packed.AsSpan();
        BinaryPrimitives.WriteInt64LittleEndian(span, expires.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], (ushort)type.Length);
        type.CopyTo(span[10..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(10 + type.Length)..], (ushort)tag.Length);
        tag.CopyTo(span[(12 + type.Length)..]);
        body.CopyTo(span[(12 + type.Length + tag.Length)..]);
        return packed;
    }

    public static (DateTimeOffset Expires, string ContentType, string ETag, byte[] Body)? Unpack(byte[] packed)
    {
        var span = packed.AsSpan();
        if (span.Length < 12)
        {
            return null;
        }

        var expires = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(span));
        int typeLength = BinaryPrimitives.ReadUInt16LittleEndian(span[8..]);
        if (span.Length < 12 + typeLength)
        {
            return null;
        }

        int tagLength = BinaryPrimitives.ReadUInt16LittleEndian(span[(10 + typeLength)..]);
        if (span.Length < 12 + typeLength + tagLength)
        {
            return null;
        }

        return (expires, Encoding.UTF8.GetString(span.Slice(10, typeLength)), Encoding.UTF8.GetString(span.Slice(12 + typeLength, tagLength)),
            span[(12 + typeLength + tagLength)..].ToArray());
    }

    private void Away(Exception? ex)
    {
        if (Interlocked.Exchange(ref unreachable, 1) == 0)
        {
            logger.LogWarning(ex, "CACHE_STORE=redis: Redis cannot be reached; reads go to the database until it is back");
        }
    }

    private void Back()
    {
        if (Interlocked.Exchange(ref unreachable, 0) == 1)
        {
            logger.LogWarning("CACHE_STORE=redis: Redis is back; answers are cached again");
        }
    }
}
