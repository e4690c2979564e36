using ArtifactGraph.Server.Configuration;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactGraph.Tests.Http;

internal static class TransportVariants
{
    /// <summary>The transport server with other settings (and services); dispose it.</summary>
    public static WebApplicationFactory<Program> With(this TransportFactory factory, ServerSettings settings, Action<IServiceCollection>? services = null)
        => factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton(settings);
            services?.Invoke(s);
        }));
}
