using ArtifactGraph.Server.Configuration;

namespace ArtifactGraph.Server.Startup;

/// <summary>
/// What a first run prints, once, on standard output whatever <c>LOG_LEVEL</c> says: the generated administrator
/// token, the IDE's URL and a ready curl line. The token is never written anywhere else.
/// </summary>
public static class FirstRunBanner
{
    public static void Write(TextWriter output, ServerSettings settings, string token)
    {
        var url = GraphQLUrl(settings);
        var rule = new string('-', 78);
        output.Write(string.Join('\n',
            rule,
            "ArtifactGraph: first run. The database had no administrator, so one was created",
            $"({settings.AdminEmail}) with this static token. It is shown this once only: keep it.",
            "",
            $"    {token}",
            "",
            $"GraphQL IDE: {url}  (in its HTTP Headers tab: Authorization = Bearer <the token>)",
            "Try it:",
            $"    curl -H 'Authorization: Bearer {token}' -H 'Content-Type: application/json' \\",
            $"         -d '{{\"query\":\"{{ projects {{ id name context_version }} }}\"}}' {url}",
            "Example data: run the server's `demo` command (dotnet run --project src/ArtifactGraph.Server -- demo).",
            "Set ADMIN_TOKEN to choose the token yourself; later starts print none of this.",
            rule,
            ""));
        output.Flush();
    }

    /// <summary><c>PUBLIC_URL</c>'s /graphql, else the address the server listens on (a wildcard address as localhost).</summary>
    public static string GraphQLUrl(ServerSettings settings)
    {
        if (!string.IsNullOrEmpty(settings.PublicUrl))
        {
            return settings.PublicUrl.TrimEnd('/') + "/graphql";
        }

        var host = settings.Host is "0.0.0.0" or "::" or "*" or "+" or "" ? "localhost" : settings.Host;
        if (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('['))
        {
            host = $"[{host}]";
        }

        return $"http://{host}:{settings.Port}/graphql";
    }
}
