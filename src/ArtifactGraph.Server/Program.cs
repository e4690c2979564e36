using ArtifactGraph.Server.Cli;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Startup;

if (CommandLineApp.Handles(args)) { Environment.ExitCode = await CommandLineApp.RunAsync(args); return; }

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddArtifactGraphDatabase(SettingsLoader.Load(builder.Configuration));
var app = builder.Build();
app.MapGet("/server/ping", () => "pong");
app.Run();

public partial class Program;
