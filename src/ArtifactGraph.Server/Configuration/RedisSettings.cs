using System.Globalization;
using StackExchange.Redis;

namespace ArtifactGraph.Server.Configuration;

/// <summary>
/// Directus's Redis settings: <c>REDIS</c> as a URL (<c>redis://[user[:password]@]host[:port][/db]</c>, <c>rediss://</c> for
/// TLS), or <c>REDIS_HOST</c>, <c>REDIS_PORT</c> (6379), <c>REDIS_USERNAME</c>, <c>REDIS_PASSWORD</c>, <c>REDIS_DB</c> (0).
/// </summary>
public sealed record RedisSettings(string Host, int Port = 6379, string? Username = null, string? Password = null, int Database = 0, bool Tls = false)
{
    /// <summary>StackExchange.Redis's options: never fail at start (the server starts while Redis is away), short timeouts.</summary>
    public ConfigurationOptions ToOptions()
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { Host, Port } },
            User = Username,
            Password = Password,
            DefaultDatabase = Database,
            Ssl = Tls,
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
            SyncTimeout = 1000,
            AsyncTimeout = 1000,
            ConnectRetry = 1,
            ClientName = "artifactgraph",
        };
        return options;
    }

    /// <exception cref="SettingsException">Not a redis:// or rediss:// URL.</exception>
    public static RedisSettings FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || uri.Host.Length == 0)
        {
            throw new SettingsException("REDIS", $"'{url}' is not a redis:// or rediss:// URL.");
        }

        var (user, password) = uri.UserInfo.Split(':', 2) switch
        {
            [""] => (null, null),
            [var only] => ((string?)null, Uri.UnescapeDataString(only)),
            [var name, var secret] => (name.Length == 0 ? null : Uri.UnescapeDataString(name), Uri.UnescapeDataString(secret)),
            _ => (null, null),
        };
        var path = uri.AbsolutePath.Trim('/');
        var database = 0;
        if (path.Length > 0 && !int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out database))
        {
            throw new SettingsException("REDIS", $"'{path}' is not a database number.");
        }

        return new RedisSettings(uri.Host, uri.IsDefaultPort ? 6379 : uri.Port, user, password, database, uri.Scheme == "rediss");
    }
}
