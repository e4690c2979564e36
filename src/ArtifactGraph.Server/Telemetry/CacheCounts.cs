using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Directus.Schema;
using ArtifactGraph.Server.GraphQL;
using BitFaster.Caching;

namespace ArtifactGraph.Server.Telemetry;

/// <summary>
/// How a cache has been used since the process started: lookups it answered, lookups it could not (the value was then
/// loaded or built), and entries it dropped to make room for others or because they expired (not those dropped on purpose,
/// such as the token and permission caches on a change of access).
/// </summary>
public readonly record struct CacheCounts(long Hits, long Misses, long Evictions)
{
    public static CacheCounts Of(ICacheMetrics? metrics) => metrics is null ? default : new(metrics.Hits, metrics.Misses, metrics.Evicted);

    /// <summary>The node's caches by the name their metrics carry (<c>cache</c>); those this host does not have are left out.</summary>
    public static IReadOnlyList<(string Name, Func<CacheCounts> Read)> Sources(IServiceProvider services)
    {
        var sources = new List<(string, Func<CacheCounts>)>();
        if (services.GetService<ITokenAuthenticator>() is DbTokenAuthenticator tokens)
        {
            sources.Add(("tokens", () => tokens.Cache.Counts));
        }

        if (services.GetService<GraphQLExecutionService>() is { } graphql)
        {
            sources.Add(("documents", () => graphql.Documents.Counts));
        }

        if (services.GetService<IAccessRulesProvider>() is AccessRulesProvider access)
        {
            sources.Add(("access_rules", () => access.Counts));
        }

        if (services.GetService<IDirectusSchemaProvider>() is DirectusSchemaProvider schemas)
        {
            sources.Add(("schemas", () => schemas.Counts));
        }

        if (services.GetService<Caching.ResponseCache>() is { Enabled: true } responses)
        {
            sources.Add(("responses", () => responses.Counts));
        }

        return sources;
    }
}
