using System.Security.Cryptography;
using System.Text;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Invalidation;
using Microsoft.Net.Http.Headers;

namespace ArtifactGraph.Server.Caching;

/// <summary>
/// Directus's data cache (<c>CACHE_ENABLED</c>, off by default): the answer of a read (a GraphQL query, a REST
/// <c>GET</c> of items) kept in this node's memory and served again, for <c>CACHE_TTL</c>, to the same user sending the
/// same request. Keyed as Directus keys it: the user (not the token), the path, the query (GraphQL: its text, variables
/// and operation name). Only complete 200 answers without errors are kept; mutations, downloads and errors never.
/// <para>
/// Purging: with <c>CACHE_AUTO_PURGE</c>, every committed write of a collection outside
/// <c>CACHE_AUTO_PURGE_IGNORE_LIST</c> empties the cache of every node (the writer's at once, the others when
/// PostgreSQL's notification arrives); a change of users, roles, policies or permissions empties it whatever the setting
/// (Directus clears its caches then too), and so does a node that missed notifications. A read that began before a purge
/// is answered but not kept, so a purge is never undone by an answer read before the write. Without auto purge, an
/// answer may be up to <c>CACHE_TTL</c> old, as in Directus.
/// </para>
/// <para>
/// Bounded: at most <c>CACHE_MEMORY_LIMIT</c> bytes of answers (the least recently used dropped first), none larger than
/// a quarter of it or than <c>CACHE_VALUE_MAX_SIZE</c>. With <c>CACHE_STORE=redis</c> the answers are in Redis instead,
/// one cache for every node (<see cref="RedisResponseStore"/>); the same purges move its generation on.
/// </para>
/// </summary>
public sealed class ResponseCache
{
    private const string SkipKey = "artifactgraph.cache.skip";

    private readonly CacheSettings options;
    private readonly TimeProvider clock;
    private readonly Lock gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> recency = new();
    private long bytes;
    private long generation;
    private long hits;
    private long misses;
    private long evictions;

    private readonly RedisResponseStore? redis;

    public ResponseCache(
        ServerSettings settings, TimeProvider clock, Subscriptions.ChangeFeed feed, RedisConnections? connections = null, ILogger<ResponseCache>? logger = null)
    {
        options = settings.Cache;
        this.clock = clock;
        if (options.Enabled && options.Store == "redis" && options.Redis is { } server)
        {
            var connection = connections?.For(server) ?? StackExchange.Redis.ConnectionMultiplexer.Connect(server.ToOptions());
            redis = new RedisResponseStore(connection, options.Namespace, (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        }

        if (options.Enabled)
        {
            feed.Committed += records =>
            {
                if (records is null)
                {
                    Purge();
                }
                else
                {
                    Committed(records);
                }
            };
        }
    }

    public bool Enabled => options.Enabled;

    /// <summary>Answers kept now (for tests and metrics).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>Lookups answered, lookups not answered, and answers dropped for room or because they expired (metrics' <c>responses</c> cache).</summary>
    public Telemetry.CacheCounts Counts => new(Interlocked.Read(ref hits), Interlocked.Read(ref misses), Interlocked.Read(ref evictions));

    /// <summary>The key of a request: the user, the path and what else selects its answer (query string, GraphQL request…).</summary>
    public static string Key(Accountability who, string path, params string?[] parts)
    {
        var text = new StringBuilder("v1\n").Append(who.UserId?.ToString() ?? "-").Append('\n').Append(path);
        foreach (var part in parts)
        {
            text.Append('\n').Append(part?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-").Append(':').Append(part);
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Empties the cache (Redis's for every node); reads that began before it are not kept.</summary>
    public void Purge()
    {
        lock (gate)
        {
            generation++;
            entries.Clear();
            recency.Clear();
            bytes = 0;
        }

        redis?.Purge();
    }

    /// <summary>Committed writes (this node's, at once; every node's, through PostgreSQL): purges what they make stale.</summary>
    public void Committed(IEnumerable<ChangeRecord> records)
    {
        if (options.Enabled && records.Any(r => AccessRulesProvider.AccessCollections.Contains(r.Collection) || options.Purges(r.Collection)))
        {
            Purge();
        }
    }

    /// <summary>A request the cache never answers nor keeps (a download): only its status header, <c>MISS</c>, as in Directus.</summary>
    public void Bypass(HttpContext context)
    {
        if (options.Enabled)
        {
            SetStatus(context.Response, "MISS");
        }
    }

    /// <summary>The answer of this request is not to be kept (a mutation, an error), whatever its status.</summary>
    public static void Skip(HttpContext context) => context.Items[SkipKey] = true;

    /// <summary>
    /// Serves the request from the cache when it may (returns true), or prepares its answer to be kept: call
    /// <see cref="Pending.CompleteAsync"/> once it is written; neither when the cache is off.
    /// </summary>
    public async ValueTask<(bool Served, Pending? Pending)> ServeOrBeginAsync(HttpContext context, Accountability who, string key)
    {
        if (!options.Enabled)
        {
            return (false, null);
        }

        var response = context.Response;

        // CACHE_SKIP_ALLOWED: "Cache-Control: no-store" reads the database, answers "no-store", and (as Directus) still
        // keeps what it read for the requests after it.
        var skip = options.SkipAllowed && context.Request.Headers.CacheControl.ToString().Contains("no-store", StringComparison.OrdinalIgnoreCase);
        Entry? hit = null;
        long started;
        string? shared = null;
        var now = clock.GetUtcNow();
        if (redis is not null)
        {
            // The generation the answer will be kept under, and (unless no-store) the answer kept under it.
            var (current, value) = await redis.GetAsync(key);
            shared = current;
            if (!skip && value is not null && RedisResponseStore.Unpack(value) is { } kept && kept.Expires > now)
            {
                hit = new Entry(key, kept.Body, kept.ContentType, kept.ETag, kept.Expires, 0);
            }
        }

        lock (gate)
        {
            started = generation;
            if (redis is null && !skip && entries.TryGetValue(key, out var node))
            {
                if (node.Value.Expires > now)
                {
                    recency.Remove(node);
                    recency.AddFirst(node);
                    hit = node.Value;
                }
                else
                {
                    Remove(node);
                    evictions++;
                }
            }

            if (hit is not null)
            {
                hits++;
            }
            else if (!skip)
            {
                misses++;
            }
        }

        if (hit is not null)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = hit.ContentType;
            response.ContentLength = hit.Body.Length;
            SetCachedHeaders(response, who, hit.Expires - now);
            SetStatus(response, "HIT");
            if (!Http.EntityTag.SetAndCheck(context, hit.ETag))
            {
                await response.Body.WriteAsync(hit.Body, context.RequestAborted);
            }

            return (true, null);
        }

        SetStatus(response, "MISS");
        var capture = new CaptureStream(response.Body, Math.Min(options.ValueMaxSize ?? long.MaxValue, options.MemoryLimit / 4));
        response.Body = capture;
        response.OnStarting(() =>
        {
            if (Keepable(context))
            {
                SetCachedHeaders(response, who, options.Ttl);
                if (skip)
                {
                    response.Headers.CacheControl = "no-store";
                }
            }

            return Task.CompletedTask;
        });
        return (false, new Pending(this, context, key, started, shared, capture));
    }

    private static bool Keepable(HttpContext context)
        => context.Response.StatusCode == StatusCodes.Status200OK && !context.Items.ContainsKey(SkipKey);

    /// <summary>Directus's <c>Cache-Control</c> of a cached answer: <c>no-cache</c> under auto purge, else
    /// <c>public</c> (no role) or <c>private</c>, <c>max-age</c> (what is left of the TTL) and <c>s-maxage</c>.</summary>
    private void SetCachedHeaders(HttpResponse response, Accountability who, TimeSpan ttl)
    {
        response.Headers.CacheControl = options.AutoPurge
            ? "no-cache"
            : $"{(who.RoleId is null ? "public" : "private")}, max-age={(long)Math.Round(ttl.TotalSeconds)}"
                + (options.ControlSMaxAge is { } sMaxAge ? $", s-maxage={sMaxAge}" : "");
        response.Headers.Vary = "Origin, Cache-Control";
    }

    private void SetStatus(HttpResponse response, string status)
    {
        if (options.StatusHeader is { } header)
        {
            response.Headers[header] = status;
        }
    }

    private async ValueTask KeepAsync(string key, long started, string? shared, string contentType, string? etag, byte[] body)
    {
        etag ??= Http.EntityTag.Weak(body);
        if (redis is not null)
        {
            // Under the generation the lookup saw: if a purge came since, nobody will look there again.
            if (shared is not null)
            {
                await redis.SetAsync(shared, key, RedisResponseStore.Pack(clock.GetUtcNow() + options.Ttl, contentType, etag, body), options.Ttl);
            }

            return;
        }

        Keep(key, started, contentType, etag, body);
    }

    private void Keep(string key, long started, string contentType, string etag, byte[] body)
    {
        var size = body.Length + (key.Length * 2) + 128;
        lock (gate)
        {
            if (generation != started)
            {
                return;
            }

            if (entries.TryGetValue(key, out var existing))
            {
                Remove(existing);
            }

            var node = recency.AddFirst(new Entry(key, body, contentType, etag, clock.GetUtcNow() + options.Ttl, size));
            entries[key] = node;
            bytes += size;
            while (bytes > options.MemoryLimit && recency.Last is { } oldest)
            {
                Remove(oldest);
                evictions++;
            }
        }
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        entries.Remove(node.Value.Key);
        recency.Remove(node);
        bytes -= node.Value.Size;
    }

    private sealed record Entry(string Key, byte[] Body, string ContentType, string ETag, DateTimeOffset Expires, long Size);

    /// <summary>A request whose answer is being written and may be kept.</summary>
    public sealed class Pending(ResponseCache cache, HttpContext context, string key, long started, string? shared, CaptureStream capture)
    {
        /// <summary>
        /// Puts the original body stream back and keeps the answer if it is whole: status 200, not skipped, not aborted,
        /// no larger than allowed. Call it after the answer is written, also when writing failed.
        /// </summary>
        public async ValueTask CompleteAsync(bool written)
        {
            var response = context.Response;
            if (!written)
            {
                // An error answered after this (by the caller's error handling) is not kept, nor marked cacheable.
                Skip(context);
            }

            response.Body = capture.Inner;
            using var copy = capture;
            if (written && Keepable(context) && !context.RequestAborted.IsCancellationRequested && capture.Captured is { } body
                && response.ContentType is { } contentType && MediaTypeHeaderValue.TryParse(contentType, out var type)
                && type.MediaType.Value is "application/json" or "application/graphql-response+json")
            {
                await cache.KeepAsync(key, started, shared, contentType, response.Headers.ETag.Count == 1 ? response.Headers.ETag.ToString() : null, body);
            }
        }
    }
}
