var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/server/ping", () => "pong");
app.Run();

public partial class Program;
