using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Resilience;
using ArtifactGraph.Server.Telemetry;
using BitFaster.Caching.Lru;
using Microsoft.EntityFrameworkCore;

namespace ArtifactGraph.Server.Access;

/// <summary>
/// Loads the permissions of a caller's policies (those attached to its user or role through <c>directus_access</c>;
/// for the public, the rows with neither) and merges them as Directus does: fields are the union, item filters
/// are or-ed (one unrestricted permission makes the action unrestricted). <c>$CURRENT_USER</c> and
/// <c>$CURRENT_ROLE</c> in filters become the caller's ids. Results are kept for a few seconds and dropped at once
/// when anything about access is written (<see cref="Changed"/>: by this node's writes, and by the
/// <c>InvalidationListener</c> when another node's arrive), for at most <see cref="Capacity"/> callers (the least
/// recently used go first).
/// </summary>
public sealed class AccessRulesProvider(IDbContextFactory<ArtifactGraphDbContext> contexts, TimeProvider clock) : IAccessRulesProvider
{
    /// <summary>The most (user, role) pairs whose rules are kept.</summary>
    public const int Capacity = 10_000;

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    /// <summary>The collections whose writes change what somebody may do.</summary>
    public static readonly IReadOnlySet<string> AccessCollections = new HashSet<string>(StringComparer.Ordinal)
    {
        "directus_users", "directus_roles", "directus_policies", "directus_access", "directus_permissions",
    };

    // The entry's own expiry (on the injected clock) decides; the cache's time to live only removes expired entries.
    private readonly ConcurrentTLru<(Guid?, Guid?), (AccessRules Rules, DateTimeOffset Expires, long Version)> cache =
        new(Environment.ProcessorCount, Capacity, EqualityComparer<(Guid?, Guid?)>.Default, CacheFor);
    private long version;

    public long Version => Interlocked.Read(ref version);

    /// <summary>Lookups answered from memory, rule sets loaded, and entries dropped to make room or because they expired.</summary>
    public CacheCounts Counts => CacheCounts.Of(cache.Metrics.Value);

    public void Changed()
    {
        Interlocked.Increment(ref version);
        cache.Clear();
    }

    public async ValueTask<AccessRules> ForAsync(Guid? userId, Guid? roleId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var current = Version;
        if (cache.TryGet((userId, roleId), out var cached) && cached.Expires > now && cached.Version == current)
        {
            return cached.Rules;
        }

        var rules = await LoadAsync(userId, roleId, cancellationToken);
        cache.AddOrUpdate((userId, roleId), (rules, now + CacheFor, current));
        return rules;
    }

    private async Task<AccessRules> LoadAsync(Guid? userId, Guid? roleId, CancellationToken cancellationToken)
    {
        using var reads = ReadRetries.Begin();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var isPublic = userId is null && roleId is null;
        var policies = await db.Access.AsNoTracking()
            .Where(a => isPublic ? a.Role == null && a.User == null : (userId != null && a.User == userId) || (roleId != null && a.Role == roleId))
            .Select(a => new { a.Policy, Admin = a.PolicyRef!.AdminAccess })
            .ToListAsync(cancellationToken);
        var roleIsAdmin = roleId is not null && await db.Roles.AsNoTracking().AnyAsync(r => r.Id == roleId && r.AdminAccess, cancellationToken);
        if (roleIsAdmin || policies.Any(p => p.Admin))
        {
            return AccessRules.Admin;
        }

        var policyIds = policies.Select(p => p.Policy).Distinct().ToList();
        var rows = policyIds.Count == 0
            ? []
            : await db.Permissions.AsNoTracking().Where(p => policyIds.Contains(p.Policy)).ToListAsync(cancellationToken);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["$CURRENT_USER"] = userId?.ToString("D"),
            ["$CURRENT_ROLE"] = roleId?.ToString("D"),
        };

        var merged = rows
            .GroupBy(p => (p.Collection, p.Action.ToLowerInvariant()))
            .ToDictionary(g => g.Key, g => Merge(g.Select(p => new CollectionPermission(
                Fields(p.Fields),
                JsonValues.ToFilter(p.Permissions, variables),
                JsonValues.ToFilter(p.Validation, variables),
                JsonValues.ToFilter(p.Presets, variables))).ToList()));
        return new AccessRules(false, merged);
    }

    private static IReadOnlySet<string>? Fields(string? csv)
    {
        var fields = (csv ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return fields.Contains("*") ? null : fields.ToHashSet(StringComparer.Ordinal);
    }

    private static CollectionPermission Merge(List<CollectionPermission> permissions)
    {
        if (permissions.Count == 1)
        {
            return permissions[0];
        }

        var fields = permissions.Any(p => p.Fields is null) ? null : permissions.SelectMany(p => p.Fields!).ToHashSet(StringComparer.Ordinal);
        var presets = permissions.Where(p => p.Presets is not null).SelectMany(p => p.Presets!).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        return new CollectionPermission(fields, AnyOf(permissions.Select(p => p.ItemFilter)), AnyOf(permissions.Select(p => p.Validation)), presets.Count == 0 ? null : presets);
    }

    private static IReadOnlyDictionary<string, object?>? AnyOf(IEnumerable<IReadOnlyDictionary<string, object?>?> filters)
    {
        var list = filters.ToList();
        return list.Any(f => f is null || f.Count == 0) ? null : new Dictionary<string, object?> { ["_or"] = list.Cast<object?>().ToList() };
    }
}

/// <summary>Where the permissions of callers come from (the database; a fixed answer in transport tests).</summary>
public interface IAccessRulesProvider
{
    /// <summary>Bumped after every write to an access collection: cached rules (and authenticated tokens) are stale.</summary>
    long Version { get; }

    void Changed();

    /// <summary>The rules of a user with a role, or of the public when both are null.</summary>
    ValueTask<AccessRules> ForAsync(Guid? userId, Guid? roleId, CancellationToken cancellationToken);
}

/// <summary>JSON text from the permission tables as the plain values the filter translator reads.</summary>
internal static class JsonValues
{
    public static IReadOnlyDictionary<string, object?>? ToFilter(string? json, IReadOnlyDictionary<string, object?> variables)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return Convert(document.RootElement, variables) as IReadOnlyDictionary<string, object?> is { Count: > 0 } filter ? filter : null;
    }

    private static object? Convert(JsonElement e, IReadOnlyDictionary<string, object?> variables) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => Convert(p.Value, variables)),
        JsonValueKind.Array => e.EnumerateArray().Select(v => Convert(v, variables)).ToList(),
        JsonValueKind.String => e.GetString() is { } s && variables.TryGetValue(s, out var value) ? value : e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
