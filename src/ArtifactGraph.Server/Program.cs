using ArtifactGraph.Server.Http;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddArtifactGraphTransport();
var app = builder.Build();
app.MapArtifactGraphEndpoints();
app.Run();

public partial class Program;
