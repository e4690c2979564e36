using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Configuration;
using Npgsql;

namespace ArtifactGraph.Server.Invalidation;

/// <summary>
/// Each node's one listener on <see cref="ChangeNotifications.Channel"/>: a dedicated connection (not pooled, named
/// <see cref="ChangeNotifications.ListenerApplicationName"/>) that LISTENs and waits. A record about an access collection,
/// or one it cannot read, drops the node's token and permission caches. When the connection is lost (a database restart,
/// a terminated backend) it connects again with a growing pause, and then drops all caches, since notifications may
/// have been missed meanwhile (and so does the data cache, through <see cref="Subscriptions.ChangeFeed.Missed"/>).
/// </summary>
public sealed class InvalidationListener(
    ServerSettings settings, IAccessRulesProvider access, ILogger<InvalidationListener> logger, Directus.Model.DirectusModel model, Subscriptions.ChangeFeed feed)
    : BackgroundService
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = FirstPause;
        var lost = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString());
                connection.Notification += (_, e) => Apply(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChangeNotifications.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Anything written before LISTEN took effect (at start-up, or while disconnected) was not heard.
                access.Changed();
                feed.Missed();
                if (lost)
                {
                    logger.LogWarning("Listening for changes from other nodes again; dropped the token and permission caches");
                }

                pause = FirstPause;
                lost = false;
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                lost = true;
                logger.LogWarning("Not listening for changes from other nodes ({Reason}); connecting again in {Pause} ms", ex.Message, (int)pause.TotalMilliseconds);
                try
                {
                    await Task.Delay(pause + TimeSpan.FromMilliseconds(Random.Shared.Next(100)), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }

    private void Apply(string payload)
    {
        var change = ChangeRecord.Parse(payload);
        if (change is null || AccessRulesProvider.AccessCollections.Contains(change.Collection))
        {
            access.Changed();
        }

        // This node's subscribers hear every node's committed writes here, this node's own included (on PostgreSQL).
        if (change is not null)
        {
            feed.Publish(model, [change]);
        }
    }

    private string ConnectionString() => new NpgsqlConnectionStringBuilder(settings.ConnectionString)
    {
        ApplicationName = ChangeNotifications.ListenerApplicationName,
        Pooling = false,
        Multiplexing = false,
        KeepAlive = 15,
    }.ConnectionString;
}
