namespace ArtifactGraph.Bench.Infrastructure;

/// <summary>The server's settings for a benchmark run, as environment variables (Directus names).</summary>
public static class ServerEnvironment
{
    public static IReadOnlyDictionary<string, string> For(string connectionString, string workDirectory) => new Dictionary<string, string>
    {
        ["DB_CLIENT"] = "pg",
        ["DB_CONNECTION_STRING"] = connectionString,
        ["STORAGE_LOCAL_ROOT"] = Path.Combine(workDirectory, "uploads"),
        // As in production: no per-request log line, no development error pages.
        ["LOG_LEVEL"] = "warn",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
    };
}
