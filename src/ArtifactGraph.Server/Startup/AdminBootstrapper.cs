using ArtifactGraph.Data;
using ArtifactGraph.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Server.Startup;

public enum AdminBootstrapOutcome
{
    /// <summary><c>ADMIN_TOKEN</c> is not set.</summary>
    NoToken,

    /// <summary>An active user already holds the token.</summary>
    AlreadyPresent,

    /// <summary>The token was stored on the first existing administrator.</summary>
    TokenAssigned,

    /// <summary>An administrator (and, when none existed, the <c>Administrator</c> role) was created with the token.</summary>
    Created,
}

/// <summary>
/// Makes <c>ADMIN_TOKEN</c> work as a static administrator token, as Directus's bootstrap does:
/// reuse the first administrator (a user whose role has admin access), else create one.
/// </summary>
public static class AdminBootstrapper
{
    public static async Task<AdminBootstrapOutcome> EnsureAdminAsync(
        ArtifactGraphDbContext db, string? adminToken, string adminEmail, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(adminToken))
        {
            return AdminBootstrapOutcome.NoToken;
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var holders = await db.Users.Where(u => u.Token == adminToken).ToListAsync(ct);
            if (holders.Any(u => u.Status == "active"))
            {
                return AdminBootstrapOutcome.AlreadyPresent;
            }

            // The token is unique: take it off an inactive holder before giving it to the administrator.
            holders.ForEach(u => u.Token = null);
            await db.SaveChangesAsync(ct);

            var admin = await db.Users
                .Where(u => u.Status == "active" && db.Roles.Any(r => r.Id == u.Role && r.AdminAccess))
                .OrderBy(u => u.Id)
                .FirstOrDefaultAsync(ct);
            var outcome = AdminBootstrapOutcome.TokenAssigned;
            if (admin is null)
            {
                admin = await CreateAdminAsync(db, adminEmail, ct);
                outcome = AdminBootstrapOutcome.Created;
            }

            admin.Token = adminToken;
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return outcome;
        }, cancellationToken);
    }

    private static async Task<User> CreateAdminAsync(ArtifactGraphDbContext db, string email, CancellationToken cancellationToken)
    {
        var role = await db.Roles.Where(r => r.AdminAccess).OrderBy(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        if (role is null)
        {
            role = new Role { Id = Guid.NewGuid(), Name = "Administrator", Icon = "verified", AdminAccess = true };
            db.Roles.Add(role);
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
        return user;
    }
}
