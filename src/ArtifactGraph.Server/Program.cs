using ArtifactGraph.Server.Cli;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Directus;
using ArtifactGraph.Server.Http;
using ArtifactGraph.Server.Http.Logging;
using ArtifactGraph.Server.Startup;
using ArtifactGraph.Server.Telemetry;

if (CommandLineApp.Handles(args)) { Environment.ExitCode = await CommandLineApp.RunAsync(args); return; }

var builder = WebApplication.CreateBuilder(args);
var settings = SettingsLoader.Load(builder.Configuration);
builder.Logging.AddArtifactGraphLogging(settings, builder.Configuration);
builder.WebHost.UseUrls($"http://{settings.Host}:{settings.Port}");
builder.Services.AddArtifactGraphDatabase(settings);
builder.Services.AddDirectusGraphQL(settings);
builder.Services.AddArtifactGraphTransport();
builder.Services.AddArtifactGraphTelemetry(settings);
var app = builder.Build();
app.MapArtifactGraphEndpoints();
app.Run();

public partial class Program;
