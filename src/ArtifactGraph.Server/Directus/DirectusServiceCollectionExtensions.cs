using ArtifactGraph.Data;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Activity;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Directus.Schema;
using ArtifactGraph.Server.Directus.Write;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Server.Invalidation;
using ArtifactGraph.Server.Promotion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ArtifactGraph.Server.Directus;

public static class DirectusServiceCollectionExtensions
{
    /// <summary>
    /// The generated Directus surface: the model read from EF Core, the reader and the cached schemas, and the
    /// promotion command behind promoteArtifact; on PostgreSQL, the listener that hears other nodes' changes.
    /// </summary>
    public static IServiceCollection AddDirectusGraphQL(this IServiceCollection services, ServerSettings settings)
    {
        services.AddSingleton(sp =>
        {
            using var db = sp.GetRequiredService<IDbContextFactory<ArtifactGraphDbContext>>().CreateDbContext();
            return DirectusModel.FromEf(db.Model);
        });
        services.AddSingleton(new ReadOptions(settings.QueryLimitDefault, settings.QueryLimitMax, settings.MaxRelationalDepth, settings.DbCompiledQueries, settings.QueryFirstBatchSize, settings.QueryBatchSize));
        services.AddSingleton<ItemReader>();
        services.AddSingleton(sp =>
        {
            using var db = sp.GetRequiredService<IDbContextFactory<ArtifactGraphDbContext>>().CreateDbContext();
            return new DatabaseErrors(db.Model, sp.GetRequiredService<DirectusModel>());
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Subscriptions.ChangeFeed>();
        services.AddSingleton<Subscriptions.GraphQLWebSocket>();
        services.AddSingleton<CollectionAccountability>();
        services.AddSingleton<ActivityRecorder>();
        services.AddSingleton(settings.Retention);
        services.AddHostedService<RetentionService>();
        services.AddSingleton<ItemWriter>();
        services.AddSingleton<Rest.RestHandler>();
        services.TryAddSingleton<IAccessRulesProvider, AccessRulesProvider>();
        if (settings.DbClient == DatabaseClient.Postgres)
        {
            services.AddHostedService<InvalidationListener>();
        }

        services.AddSingleton<IDirectusSchemaProvider, DirectusSchemaProvider>();
        services.AddSingleton<ArtifactPromoter>();
        return services;
    }
}
