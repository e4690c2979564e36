using System.Net.Http.Headers;
using System.Text;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Server.Startup;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactGraph.Tests.Http;

/// <summary>
/// The server with the test schema, the fake token store and a small payload limit, and no database: the start-up's
/// migrations and administrator bootstrap (<see cref="DatabaseStartup"/>) do not run.
/// </summary>
public sealed class TransportFactory : WebApplicationFactory<Program>
{
    public const long MaxPayload = 64 * 1024;

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IDirectusSchemaProvider, TestSchemaProvider>();
            services.AddSingleton<ITokenAuthenticator, FakeTokenAuthenticator>();
            services.AddSingleton<IAccessRulesProvider, NoPublicAccess>();
            services.AddSingleton(new ServerSettings { MaxPayloadSize = MaxPayload });
            services.AddPooledDbContextFactory<ArtifactGraphDbContext>(o => o.UseSqlite("Data Source=:memory:"));
            foreach (var startup in services.Where(d => d.ImplementationType == typeof(DatabaseStartup)).ToList())
            {
                services.Remove(startup);
            }
        });
    }

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FakeTokenAuthenticator.AdminToken);
        return client;
    }

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
