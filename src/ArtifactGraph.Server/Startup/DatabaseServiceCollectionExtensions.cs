using ArtifactGraph.Data;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ArtifactGraph.Server.Startup;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// The data side of the server: the settings, the pooled context factory and statement counter, the
    /// file storage locations, the database's enforced foreign keys, and the start-up task that migrates, reads those
    /// keys and bootstraps the administrator before requests are served.
    /// </summary>
    public static IServiceCollection AddArtifactGraphDatabase(this IServiceCollection services, ServerSettings settings)
    {
        services.TryAddSingleton(settings);
        services.TryAddSingleton<IFileStorageLocations>(_ => FileStorageLocations.Create(settings));
        services.AddArtifactGraphData(settings.DbClient, settings.ConnectionString, settings.DbThreadSafetyChecks);
        services.TryAddSingleton<ArtifactGraph.Data.Model.EnforcedForeignKeys>();
        services.AddHostedService<DatabaseStartup>();
        return services;
    }
}
