using ArtifactGraph.Data;
using ArtifactGraph.Data.Migrations;
using ArtifactGraph.Data.Model;
using ArtifactGraph.Server.Configuration;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Server.Startup;

/// <summary>
/// Runs before the server accepts requests: applies the migrations, reads the foreign keys the database enforces, then
/// the admin bootstrap (and a first run's banner).
/// </summary>
public sealed class DatabaseStartup(
    ServerSettings settings,
    IDbContextFactory<ArtifactGraphDbContext> contexts,
    EnforcedForeignKeys foreignKeys,
    ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = DatabaseMigrator.Migrate(settings.DbClient, settings.ConnectionString);
        if (applied.Count > 0)
        {
            logger.LogInformation("Applied migrations: {Scripts}", string.Join(", ", applied));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        try
        {
            await foreignKeys.LoadAsync(db, cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            // Reads then join every many-to-one, as they would without this knowledge.
            logger.LogWarning(e, "Could not read the database's foreign keys; many-to-one keys are read from the related tables");
        }

        var result = await AdminBootstrapper.EnsureAdminAsync(db, settings.AdminToken, settings.AdminEmail, cancellationToken);
        switch (result.Outcome)
        {
            case AdminBootstrapOutcome.Created or AdminBootstrapOutcome.TokenAssigned:
                logger.LogInformation("ADMIN_TOKEN: {Outcome} administrator", result.Outcome == AdminBootstrapOutcome.Created ? "created an" : "stored on the existing");
                break;
            case AdminBootstrapOutcome.FirstRun:
                logger.LogWarning("First run: created the administrator {Email} with a generated static token (printed once on standard output)", settings.AdminEmail);
                FirstRunBanner.Write(Console.Out, settings, result.GeneratedToken!);
                break;
            case AdminBootstrapOutcome.NoAdminToken:
                logger.LogWarning("No administrator has a static token: set ADMIN_TOKEN to give the first administrator one");
                break;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
