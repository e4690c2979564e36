using System.Data.Common;
using ArtifactGraph.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ArtifactGraph.Server.Activity;

/// <summary>
/// Directus's per-collection <c>accountability</c> setting: <c>all</c> (activity and revisions, the default),
/// <c>activity</c> (activity only) or null (nothing). Read from <c>directus_collections</c> when the table exists (a
/// database Directus manages), for at most <see cref="MaxAge"/>; without that table, from our <c>ACCOUNTABILITY</c> setting
/// (<c>collection:mode</c> pairs, <c>*</c> for every other collection, mode <c>all</c>, <c>activity</c> or <c>none</c>),
/// and every collection it does not name is <c>all</c>.
/// </summary>
public sealed class CollectionAccountability(TimeProvider clock, Configuration.ServerSettings? serverSettings = null)
{
    public const string All = "all";
    public const string ActivityOnly = "activity";

    /// <summary>How long a read of the settings is used: a change made in Directus's Data Studio applies after it.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    private volatile Snapshot? cached;

    /// <summary>
    /// The setting of each collection that has a row (a collection without one is <see cref="All"/>), read when needed
    /// through the write's own connection and transaction: a write that holds locks must never wait for a second
    /// connection from the pool.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string?>> GetAsync(ArtifactGraphDbContext db, CancellationToken ct)
    {
        if (cached is { } fresh && clock.GetUtcNow() - fresh.ReadAt < MaxAge)
        {
            return fresh.Settings;
        }

        var settings = await ReadAsync(db, ct) ?? serverSettings?.Accountability ?? new Dictionary<string, string?>();
        cached = new Snapshot(settings, clock.GetUtcNow());
        return settings;
    }

    /// <summary>The mode of one collection in <paramref name="settings"/>: <see cref="All"/>, <see cref="ActivityOnly"/> or null.</summary>
    public static string? Mode(IReadOnlyDictionary<string, string?> settings, string collection)
        => settings.TryGetValue(collection, out var mode) ? mode : settings.TryGetValue("*", out var fallback) ? fallback : All;

    /// <summary>The settings of <c>directus_collections</c>; null when the database has no such table.</summary>
    private static async Task<IReadOnlyDictionary<string, string?>?> ReadAsync(ArtifactGraphDbContext db, CancellationToken ct)
    {
        var exists = db.IsSqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'directus_collections'"
            : "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'directus_collections' AND column_name = 'accountability'";
        await using (var check = Command(db, exists))
        {
            if (Convert.ToInt64(await check.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return null;
            }
        }

        await using var command = Command(db, "SELECT collection, accountability FROM directus_collections");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            settings[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        }

        return settings;
    }

    private static DbCommand Command(ArtifactGraphDbContext db, string sql)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    private sealed record Snapshot(IReadOnlyDictionary<string, string?> Settings, DateTimeOffset ReadAt);
}
