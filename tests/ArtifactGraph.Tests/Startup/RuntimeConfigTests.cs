using System.Text.Json;

namespace ArtifactGraph.Tests.Startup;

public sealed class RuntimeConfigTests
{
    /// <summary>
    /// The server runs with server GC whose threads are not pinned to cores (they would wait for PostgreSQL on a shared
    /// machine): read from the runtime configuration the built server starts with (the tests start the same file).
    /// </summary>
    [Fact]
    public void Server_runs_with_server_gc_not_pinned_to_cores()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ArtifactGraph.Server.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.True(properties.GetProperty("System.GC.NoAffinitize").GetBoolean());
    }
}
