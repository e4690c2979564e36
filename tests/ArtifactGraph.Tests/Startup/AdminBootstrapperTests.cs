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

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task EnsureAdmin_noTokenOnAnEmptyDatabase_createsTheAdministratorWithAGeneratedToken(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);

        var result = await BootstrapAsync(db, null);

        await using var context = db.CreateContext();
        var user = await context.Users.Include(u => u.RoleRef).SingleAsync();
        Assert.Equal(AdminBootstrapOutcome.FirstRun, result.Outcome);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", result.GeneratedToken);
        Assert.Equal(("admin@example.com", "active", result.GeneratedToken), (user.Email, user.Status, user.Token));
        Assert.True(user.RoleRef!.AdminAccess);
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task EnsureAdmin_noTokenAfterTheFirstRun_changesNothing(DatabaseClient client)
    {
        await using var db = await TestDatabase.CreateAsync(client);
        var first = await BootstrapAsync(db, null);

        var second = await BootstrapAsync(db, null);

        Assert.Equal(new AdminBootstrapResult(AdminBootstrapOutcome.NoToken), second);
        Assert.Equal([first.GeneratedToken], await db.QueryAsync("SELECT token FROM directus_users"));
    }

    [Fact]
    public async Task EnsureAdmin_noTokenAndAdministratorsWithoutOne_createsNobody()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        await db.ImportAsync(SharedPaths.Fixture("oracle-admin.json"));
        await db.ExecuteAsync("UPDATE directus_users SET token = NULL");

        var result = await BootstrapAsync(db, null);

        Assert.Equal(new AdminBootstrapResult(AdminBootstrapOutcome.NoAdminToken), result);
        Assert.Equal(1, await db.CountAsync("directus_users"));
    }

    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task EnsureAdmin_noTokenAndAnAdministratorByPolicy_createsNobody(DatabaseClient client)
    {
        // As Directus 11 has it: the role has no admin_access of its own; an admin policy is attached to the role.
        await using var db = await TestDatabase.CreateAsync(client);
        await db.ImportAsync(SharedPaths.Fixture("oracle-admin.json"));
        // Another email than ADMIN_EMAIL's, so that only the policy tells that an administrator exists.
        await db.ExecuteAsync("UPDATE directus_users SET token = NULL, email = 'boss@example.com'");
        await db.ExecuteAsync("UPDATE directus_roles SET admin_access = false");
        await db.ExecuteAsync("""
            INSERT INTO directus_policies (id, name, icon, admin_access, app_access) VALUES ('0c000000-0000-4000-8000-00000000000a', 'Administrator', 'verified', true, true);
            INSERT INTO directus_access (id, role, policy) VALUES ('0d000000-0000-4000-8000-00000000000a', '0b000000-0000-4000-8000-000000000001', '0c000000-0000-4000-8000-00000000000a');
            """);

        var result = await BootstrapAsync(db, null);

        Assert.Equal(new AdminBootstrapResult(AdminBootstrapOutcome.NoAdminToken), result);
        Assert.Equal(1, await db.CountAsync("directus_users"));
    }

    [Fact]
    public async Task EnsureAdmin_noTokenAndTheAdminEmailTakenByAnInactiveUser_createsNobody()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseClient.Sqlite);
        await db.ImportAsync(SharedPaths.Fixture("oracle-admin.json"));
        await db.ExecuteAsync("UPDATE directus_users SET status = 'suspended'");

        var result = await BootstrapAsync(db, null);

        Assert.Equal(new AdminBootstrapResult(AdminBootstrapOutcome.NoAdminToken), result);
        Assert.Equal(1, await db.CountAsync("directus_users"));
    }

    [Fact]
    public void GenerateToken_isRandomAndUrlSafe()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => AdminBootstrapper.GenerateToken()).ToList();

        Assert.Equal(100, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.Matches("^[A-Za-z0-9_-]{43}$", t));
    }

    private static async Task<AdminBootstrapOutcome> EnsureAsync(TestDatabase db, string? token)
        => (await BootstrapAsync(db, token)).Outcome;

    private static async Task<AdminBootstrapResult> BootstrapAsync(TestDatabase db, string? token)
    {
        await using var context = db.CreateContext();
        return await AdminBootstrapper.EnsureAdminAsync(context, token, db.Settings.AdminEmail, CancellationToken.None);
    }
}
