using ArtifactGraph.Data.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactGraph.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Registers a pooled <see cref="IDbContextFactory{ArtifactGraphDbContext}"/> (one context per batch,
    /// never shared by parallel resolvers) and the singleton <see cref="StatementCounter"/> it reports to.
    /// </summary>
    /// <param name="threadSafetyChecks">EF Core's check against a context used by two operations at once (see <see cref="ArtifactGraphDbOptions.Configure"/>).</param>
    public static IServiceCollection AddArtifactGraphData(this IServiceCollection services, DatabaseClient client, string connectionString, bool threadSafetyChecks = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (client == DatabaseClient.Sqlite)
        {
            SqliteConnections.EnsureDirectory(connectionString);
        }

        services.AddSingleton<StatementCounter>();
        services.AddPooledDbContextFactory<ArtifactGraphDbContext>((provider, options) =>
            ArtifactGraphDbOptions.Configure(options, client, connectionString, provider.GetRequiredService<StatementCounter>(), threadSafetyChecks));
        return services;
    }
}
