using System.Security.Cryptography;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Entities;
using ArtifactGraph.Server.Invalidation;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Server.Startup;

public enum AdminBootstrapOutcome
{
    /// <summary><c>ADMIN_TOKEN</c> is not set and an active administrator with a static token exists: nothing to do.</summary>
    NoToken,

    /// <summary>
    /// <c>ADMIN_TOKEN</c> is not set and the active administrators have no static token (a database Directus created,
    /// whose administrators sign in with a password): nothing changes, and the server says how to get a token.
    /// </summary>
    NoAdminToken,

    /// <summary>
    /// <c>ADMIN_TOKEN</c> is not set and the database had no active administrator (a first run): one was created with a
    /// generated static token, which the caller shows once.
    /// </summary>
    FirstRun,

    /// <summary>An active user already holds the token.</summary>
    AlreadyPresent,

    /// <summary>The token was stored on the first existing administrator.</summary>
    TokenAssigned,

    /// <summary>An administrator (and, when none existed, the <c>Administrator</c> role) was created with the token.</summary>
    Created,
}

/// <summary>The outcome of the bootstrap, and the token it generated on a first run (null otherwise).</summary>
public sealed record AdminBootstrapResult(AdminBootstrapOutcome Outcome, string? GeneratedToken = null);

/// <summary>
/// Makes <c>ADMIN_TOKEN</c> work as a static administrator token, as Directus's bootstrap does:
/// reuse the first administrator (a user whose role has admin access), else create one. Without <c>ADMIN_TOKEN</c>,
/// a database with no active administrator gets one with a generated token, as Directus's bootstrap creates its first
/// admin with a generated password: otherwise nobody could ever get in. What it writes is announced to the other nodes
/// (<see cref="ChangeNotifications"/>) on commit, so that they drop a cached answer for the token.
/// </summary>
public static class AdminBootstrapper
{
    /// <summary>Bytes of randomness in a generated token (43 characters of base64url).</summary>
    public const int GeneratedTokenBytes = 32;

    // Nodes starting together on one PostgreSQL database take turns, so that only one of them creates the administrator.
    private const long BootstrapLockKey = 0x4147_4144_4D49_4E; // "AGADMIN"

    public static async Task<AdminBootstrapResult> EnsureAdminAsync(
        ArtifactGraphDbContext db, string? adminToken, string adminEmail, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (db.Database.IsNpgsql())
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({BootstrapLockKey})", ct);
            }

            var changes = new HashSet<ChangeRecord>();
            var result = string.IsNullOrEmpty(adminToken)
                ? await EnsureFirstAdminAsync(db, adminEmail, changes, ct)
                : new AdminBootstrapResult(await AssignTokenAsync(db, adminToken, adminEmail, changes, ct));
            await ChangeNotifications.SendAsync(db, changes, ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
    }

    /// <summary>A cryptographically random static token, URL-safe (no padding).</summary>
    public static string GenerateToken()
        => Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedTokenBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<AdminBootstrapResult> EnsureFirstAdminAsync(ArtifactGraphDbContext db, string adminEmail, ISet<ChangeRecord> changes, CancellationToken ct)
    {
        var tokens = await ActiveAdministrators(db).Select(u => u.Token).ToListAsync(ct);
        if (tokens.Count > 0)
        {
            return new AdminBootstrapResult(tokens.Any(t => t != null) ? AdminBootstrapOutcome.NoToken : AdminBootstrapOutcome.NoAdminToken);
        }

        // Someone already has the administrator's email (an inactive user, say): never a second account with it.
        if (await db.Users.AnyAsync(u => u.Email == adminEmail, ct))
        {
            return new AdminBootstrapResult(AdminBootstrapOutcome.NoAdminToken);
        }

        var token = GenerateToken();
        var admin = await CreateAdminAsync(db, adminEmail, changes, ct);
        admin.Token = token;
        await db.SaveChangesAsync(ct);
        return new AdminBootstrapResult(AdminBootstrapOutcome.FirstRun, token);
    }

    private static async Task<AdminBootstrapOutcome> AssignTokenAsync(
        ArtifactGraphDbContext db, string adminToken, string adminEmail, ISet<ChangeRecord> changes, CancellationToken ct)
    {
        var holders = await db.Users.Where(u => u.Token == adminToken).ToListAsync(ct);
        if (holders.Any(u => u.Status == "active"))
        {
            return AdminBootstrapOutcome.AlreadyPresent;
        }

        // The token is unique: take it off an inactive holder before giving it to the administrator.
        holders.ForEach(u => u.Token = null);
        await db.SaveChangesAsync(ct);
        if (holders.Count > 0)
        {
            changes.Add(new ChangeRecord("directus_users", "update"));
        }

        var admin = await ActiveAdministrators(db).OrderBy(u => u.Id).FirstOrDefaultAsync(ct);
        var outcome = AdminBootstrapOutcome.TokenAssigned;
        if (admin is null)
        {
            admin = await CreateAdminAsync(db, adminEmail, changes, ct);
            outcome = AdminBootstrapOutcome.Created;
        }
        else
        {
            changes.Add(new ChangeRecord("directus_users", "update"));
        }

        admin.Token = adminToken;
        await db.SaveChangesAsync(ct);
        return outcome;
    }

    /// <summary>
    /// Active users with admin access by the access layer's rule: their role's <c>admin_access</c>, or a policy with
    /// <c>admin_access</c> attached to them or to their role (Directus 11 keeps it on policies only).
    /// </summary>
    private static IQueryable<User> ActiveAdministrators(ArtifactGraphDbContext db)
        => db.Users.Where(u => u.Status == "active"
            && (db.Roles.Any(r => r.Id == u.Role && r.AdminAccess)
                || db.Access.Any(a => (a.User == u.Id || (a.Role != null && a.Role == u.Role)) && a.PolicyRef!.AdminAccess)));

    private static async Task<User> CreateAdminAsync(ArtifactGraphDbContext db, string email, ISet<ChangeRecord> changes, CancellationToken cancellationToken)
    {
        var role = await db.Roles.Where(r => r.AdminAccess).OrderBy(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        if (role is null)
        {
            role = new Role { Id = Guid.NewGuid(), Name = "Administrator", Icon = "verified", AdminAccess = true };
            db.Roles.Add(role);
            changes.Add(new ChangeRecord("directus_roles", "create"));
        }

        var user = new User
        {
            Id = Guid.NewGuid(),
            Email = email,
            FirstName = "Admin",
            LastName = "User",
            Status = "active",
            Role = role.Id,
        };
        db.Users.Add(user);
        changes.Add(new ChangeRecord("directus_users", "create"));
        return user;
    }
}
