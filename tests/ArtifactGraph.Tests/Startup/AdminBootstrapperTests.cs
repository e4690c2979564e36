using ArtifactGraph.Data;
using ArtifactGraph.Server.Startup;
using ArtifactGraph.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Tests.Startup;

public sealed class AdminBootstrapperTests
{
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task EnsureAdmin_emptyDatabase_createsAdministratorRoleAndUser(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);

        var outcome = await EnsureAsync(db, "boot-token");

        await using var context = db.CreateContext();
        var user = await context.Users.Include(u => u.RoleRef).SingleAsync();
        Assert.Equal(AdminBootstrapOutcome.Created, outcome);
        Assert.Equal(("admin@example.com", "Admin", "User", "active", "boot-token"), (user.Email, user.FirstName, user.LastName, user.Status, user.Token));
        Assert.Equal(("Administrator", "verified", true), (user.RoleRef!.Name, user.RoleRef.Icon, user.RoleRef.AdminAccess));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task EnsureAdmin_secondRun_reusesTheUser(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        await EnsureAsync(db, "boot-token");

        var outcome = await EnsureAsync(db, "boot-token");

        Assert.Equal(AdminBootstrapOutcome.AlreadyPresent, outcome);
        Assert.Equal(1, await db.CountAsync("directus_users"));
        Assert.Equal(1, await db.CountAsync("directus_roles"));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task EnsureAdmin_existingAdministrator_storesTheTokenOnIt(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        await db.ImportAsync(SharedPaths.Fixture("oracle-admin.json"));

        var outcome = await EnsureAsync(db, "new-token");

        Assert.Equal(AdminBootstrapOutcome.TokenAssigned, outcome);
        Assert.Equal(["new-token"], await db.QueryAsync("SELECT token FROM directus_users"));
    }

    [Fact]
    public async Task EnsureAdmin_noToken_doesNothing()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);

        Assert.Equal(AdminBootstrapOutcome.NoToken, await EnsureAsync(db, null));
        Assert.Equal(0, await db.CountAsync("directus_users"));
    }

    private static async Task<AdminBootstrapOutcome> EnsureAsync(TestDatabase db, string? token)
    {
        await using var context = db.CreateContext();
        return await AdminBootstrapper.EnsureAdminAsync(context, token, db.Settings.AdminEmail, CancellationToken.None);
    }
}
