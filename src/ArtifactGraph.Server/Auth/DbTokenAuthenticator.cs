using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ArtifactGraph.Data;
using Microsoft.EntityFrameworkCore;
using ArtifactGraph.Server.Access;

namespace ArtifactGraph.Server.Auth;

/// <summary>
/// Looks static tokens up in <c>directus_users</c> (active users only) and loads what the user may do.
/// Answers are cached for a few seconds, keyed by the token's SHA-256 so that the cache never compares secrets
/// character by character; a revoked token stops working once its entry expires.
/// </summary>
public sealed class DbTokenAuthenticator(IDbContextFactory<ArtifactGraphDbContext> contexts, IAccessRulesProvider access, TimeProvider clock) : ITokenAuthenticator
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (Accountability? Accountability, DateTimeOffset Expires, long Version)> _cache = new();

    /// <summary>Also after its entry expired: the limiter only needs to know whose token it was, not whether it still works.</summary>
    public Guid? KnownUser(string token) => _cache.TryGetValue(Key(token), out var cached) ? cached.Accountability?.UserId : null;

    public async ValueTask<Accountability?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var key = Key(token);
        var now = clock.GetUtcNow();
        var version = access.Version;
        if (_cache.TryGetValue(key, out var cached) && cached.Expires > now && cached.Version == version)
        {
            return cached.Accountability;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Token == token && u.Status == "active")
            .Select(u => new { u.Id, u.Role, u.Token })
            .FirstOrDefaultAsync(cancellationToken);

        // The database compares case-insensitively on some collations; confirm the exact token in constant time.
        Accountability? accountability = null;
        if (user is not null && user.Token is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(user.Token), Encoding.UTF8.GetBytes(token)))
        {
            var rules = await access.ForAsync(user.Id, user.Role, cancellationToken);
            accountability = new Accountability(user.Id, user.Role, rules.IsAdmin) { Access = rules };
        }

        if (_cache.Count > 10_000)
        {
            _cache.Clear();
        }

        _cache[key] = (accountability, now + CacheFor, version);
        return accountability;
    }

    private static string Key(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
