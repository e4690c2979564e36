using System.Data.Common;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Diagnostics;
using ArtifactGraph.Server.Activity;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Invalidation;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ArtifactGraph.Server.Directus.Write;

/// <summary>
/// Creates, updates and deletes items. Each call is one mutation: one DbContext, one transaction inside EF Core's
/// execution strategy, all of it or none of it, its activity and revision rows included. Constraint violations become
/// Directus's errors.
/// </summary>
/// <param name="settings">Whether every write's change records go to the other nodes: WebSockets on (their subscribers), or the benchmark's <see cref="ServerSettings.InvalidationNotifyAll"/>.</param>
public sealed class ItemWriter(
    IDbContextFactory<ArtifactGraphDbContext> factory, DirectusModel model, DatabaseErrors errors, IAccessRulesProvider access, TimeProvider clock,
    ActivityRecorder activity, Subscriptions.ChangeFeed feed, ServerSettings? settings = null)
{
    /// <summary>Creates the items in order; returns their keys.</summary>
    public Task<IReadOnlyList<object>> CreateAsync(CollectionModel collection, IReadOnlyList<IDictionary<string, object?>> items, Accountability who, CancellationToken ct)
        => CreateAsync(collection, items.Select(item => new NewItem(item)).ToList(), who, ct);

    /// <summary>
    /// Creates the items in order, each with the values the server sets on it besides the caller's (an upload's key,
    /// size, type…: see <see cref="NewItem"/>); returns their keys.
    /// </summary>
    public async Task<IReadOnlyList<object>> CreateAsync(CollectionModel collection, IReadOnlyList<NewItem> items, Accountability who, CancellationToken ct)
    {
        var created = await RunAsync<IReadOnlyList<object>>(who, ct, async session =>
        {
            var keys = new List<object>();
            foreach (var item in items)
            {
                keys.Add(await session.CreateAsync(collection, item.Data, item.SetServerValues, item.RecordedFields));
            }

            return keys;
        });
        return created;
    }

    /// <summary>Applies each change to the item with its key; returns the keys that existed (the others are untouched).</summary>
    public async Task<IReadOnlyList<object>> UpdateAsync(
        CollectionModel collection, IReadOnlyList<(object Key, IDictionary<string, object?> Data)> changes, Accountability who, CancellationToken ct)
    {
        var updated = await RunAsync<IReadOnlyList<object>>(who, ct, async session =>
        {
            var keys = new List<object>();
            foreach (var (key, data) in changes)
            {
                if (await session.UpdateAsync(collection, key, data))
                {
                    keys.Add(key);
                }
            }

            return keys;
        });
        return updated;
    }

    /// <summary>Deletes the items (missing keys are no error, as in Directus), applying the model's delete rules.</summary>
    public async Task DeleteAsync(CollectionModel collection, IReadOnlyList<object> keys, Accountability who, CancellationToken ct)
    {
        await RunAsync(who, ct, async session =>
        {
            await session.DeleteAsync(collection, keys);
            return true;
        });
    }

    private async Task<T> RunAsync<T>(Accountability who, CancellationToken ct, Func<WriteSession, Task<T>> work)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        WriteSession? session = null;
        try
        {
            return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                var now = clock.GetUtcNow().UtcDateTime;
                session = new WriteSession(db, model, who, now, ct);
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var result = await work(session);

                // Who may do what changed: the other nodes hear it on commit (and only then), this one drops its caches now.
                // With WebSockets on, every record goes out: each node's subscribers hear every node's writes through
                // PostgreSQL, this node's own included (see InvalidationListener).
                var accessChanges = session.Changes.Where(c => AccessRulesProvider.AccessCollections.Contains(c.Collection)).ToList();
                var notified = settings?.NotifiesEveryWrite == true ? session.Changes : accessChanges;
                if (db.Database.IsNpgsql())
                {
                    // The activity and revision rows and the notifications in one round trip.
                    var record = await activity.CommandAsync(db, who, session.ItemChanges, now, ct);
                    await ContextBatches.ExecuteAsync(db, [.. new[] { record, ChangeNotifications.Command(notified) }.OfType<NpgsqlBatchCommand>()], ct);
                }
                else
                {
                    await activity.RecordAsync(db, who, session.ItemChanges, now, ct);
                }

                await transaction.CommitAsync(ct);
                if (accessChanges.Count > 0)
                {
                    access.Changed();
                }

                if (!db.Database.IsNpgsql())
                {
                    // One node (SQLite): its subscribers hear the committed items directly, nested rows included.
                    feed.Publish(model, session.Changes);
                }
                else
                {
                    // This node's data cache forgets at once; subscribers hear it through the listener.
                    feed.CommittedHere(session.Changes);
                }

                return result;
            });
        }
        catch (Exception ex) when (ex is DbUpdateException or DbException)
        {
            var translated = errors.Translate(ex, (collection, field) => session?.PayloadValue(collection, field));
            if (translated is null)
            {
                throw;
            }

            throw translated;
        }
    }
}
