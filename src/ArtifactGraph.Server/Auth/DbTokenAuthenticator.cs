using System.Security.Cryptography;
using System.Text;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Resilience;
using Microsoft.EntityFrameworkCore;
using ArtifactGraph.Server.Access;

namespace ArtifactGraph.Server.Auth;

/// <summary>
/// Looks static tokens up in <c>directus_users</c> (active users only) and loads what the user may do.
/// Answers are cached for a few seconds (<see cref="TokenCache"/>) and dropped with the access rules' version: at once on
/// the node that wrote a change to access, within a second on the others (their <c>InvalidationListener</c>), and at the
/// latest when the entry expires.
/// </summary>
public sealed class DbTokenAuthenticator(IDbContextFactory<ArtifactGraphDbContext> contexts, IAccessRulesProvider access, TimeProvider clock) : ITokenAuthenticator
{
    /// <summary>The answers kept (for tests and diagnostics).</summary>
    public TokenCache Cache { get; } = new();

    /// <summary>Also after its entry expired: the limiter only needs to know whose token it was, not whether it still works.</summary>
    public Guid? KnownUser(string token) => Cache.KnownUser(token);

    public async ValueTask<Accountability?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var version = access.Version;
        if (Cache.TryGet(token, now, version, out var cached))
        {
            return cached;
        }

        using var reads = ReadRetries.Begin();
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

        Cache.Add(token, accountability, now, version);
        return accountability;
    }
}
