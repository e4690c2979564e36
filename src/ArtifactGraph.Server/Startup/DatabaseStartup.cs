using ArtifactGraph.Data;
using ArtifactGraph.Data.Migrations;
using ArtifactGraph.Server.Configuration;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Server.Startup;

/// <summary>Runs before the server accepts requests: applies the migrations, then the admin bootstrap.</summary>
public sealed class DatabaseStartup(
    ServerSettings settings,
    IDbContextFactory<ArtifactGraphDbContext> contexts,
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
        var outcome = await AdminBootstrapper.EnsureAdminAsync(db, settings.AdminToken, settings.AdminEmail, cancellationToken);
        if (outcome is AdminBootstrapOutcome.Created or AdminBootstrapOutcome.TokenAssigned)
        {
            logger.LogInformation("ADMIN_TOKEN: {Outcome} administrator", outcome == AdminBootstrapOutcome.Created ? "created an" : "stored on the existing");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
