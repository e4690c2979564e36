using System.Collections.Concurrent;
using StackExchange.Redis;

namespace ArtifactGraph.Server.Configuration;

/// <summary>
/// The node's connections to Redis, one per server (StackExchange.Redis multiplexes every caller over it): the rate
/// limiter's store and the data cache's share one when both name the same <c>REDIS</c>. Disposed with the host.
/// </summary>
public sealed class RedisConnections : IDisposable
{
    private readonly ConcurrentDictionary<RedisSettings, Lazy<IConnectionMultiplexer>> connections = new();

    /// <summary>The connection to <paramref name="redis"/>, made on first use; it does not fail while Redis is away.</summary>
    public IConnectionMultiplexer For(RedisSettings redis)
        => connections.GetOrAdd(redis, r => new Lazy<IConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(r.ToOptions()))).Value;

    public void Dispose()
    {
        foreach (var connection in connections.Values.Where(c => c.IsValueCreated))
        {
            connection.Value.Dispose();
        }
    }
}
