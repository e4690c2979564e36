using StackExchange.Redis;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// <c>redis</c>: one count per caller for every node, Directus's window (rate-limiter-flexible's Redis store): the first
/// request of a caller starts a window of <c>duration</c>, during which its requests are counted atomically in one key
/// (a Lua script: increment, give the key its lifetime on the first request, read what is left of it); the key expires with
/// the window. When Redis cannot be reached the node counts on its own (<paramref name="fallback"/>) and logs a warning
/// once per outage: a Redis outage weakens the limit to one per node instead of refusing every request or answering 500.
/// </summary>
internal sealed class RedisRateLimitStore(
    IConnectionMultiplexer redis, int points, TimeSpan window, IRateLimitStore fallback, ILogger<RedisRateLimitStore> logger) : IRateLimitStore
{
    public const string KeyPrefix = "artifactgraph:rate-limiter:";

    private static readonly LuaScript Consume = LuaScript.Prepare(
        """
        local used = redis.call('INCR', @key)
        local ttl = redis.call('PTTL', @key)
        if used == 1 or ttl < 0 then
          redis.call('PEXPIRE', @key, @window)
          ttl = tonumber(@window)
        end
        return { used, ttl }
        """);

    private int unreachable;

    public async ValueTask<RateLimitDecision> ConsumeAsync(string caller, CancellationToken cancellationToken)
    {
        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
                Consume, new { key = (RedisKey)(KeyPrefix + caller), window = (long)window.TotalMilliseconds }))!;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            if (Interlocked.Exchange(ref unreachable, 1) == 0)
            {
                logger.LogWarning(ex, "RATE_LIMITER_STORE=redis: Redis cannot be reached; each node counts requests on its own until it is back");
            }

            return await fallback.ConsumeAsync(caller, cancellationToken);
        }

        if (Interlocked.Exchange(ref unreachable, 0) == 1)
        {
            logger.LogWarning("RATE_LIMITER_STORE=redis: Redis is back; requests are counted for all nodes again");
        }

        var used = (long)result[0];
        return used <= points ? RateLimitDecision.Allow : new RateLimitDecision(false, TimeSpan.FromMilliseconds(Math.Max(1, (long)result[1])));
    }
}
