using ArtifactGraph.Data;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Server.Activity;

/// <summary>Runs <see cref="ActivityRetention"/> on <c>RETENTION_SCHEDULE</c> (UTC) when <c>RETENTION_ENABLED</c>; off by default.</summary>
public sealed class RetentionService(
    IDbContextFactory<ArtifactGraphDbContext> factory, RetentionSettings settings, TimeProvider clock, ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled)
        {
            return;
        }

        var cron = settings.Cron;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var next = cron.GetNextOccurrence(now) ?? now.AddDays(1);
            await Task.Delay(next - now, clock, stoppingToken);
            try
            {
                var (activity, revisions) = await ActivityRetention.PruneAsync(factory, settings, clock.GetUtcNow().UtcDateTime, stoppingToken);
                logger.LogInformation("Retention: deleted {Activity} activity and {Revisions} revision rows", activity, revisions);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Retention failed; it runs again at the next scheduled time");
            }
        }
    }
}
