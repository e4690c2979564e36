using System.Globalization;
using ArtifactGraph.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ArtifactGraph.Server.Configuration;

/// <summary>
/// Reads <see cref="ServerSettings"/> from configuration under Directus's environment variable names
/// (<c>DB_CLIENT</c>, <c>PORT</c>, <c>ADMIN_TOKEN</c>…); appsettings.json may use the same keys.
/// An empty value counts as unset; an invalid one throws a <see cref="SettingsException"/> naming it.
/// </summary>
public static partial class SettingsLoader
{
    /// <summary>Directus's (pino's) <c>LOG_LEVEL</c> names and the ASP.NET Core levels they stand for.</summary>
    private static readonly Dictionary<string, LogLevel> LogLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["trace"] = LogLevel.Trace,
        ["debug"] = LogLevel.Debug,
        ["info"] = LogLevel.Information,
        ["warn"] = LogLevel.Warning,
        ["error"] = LogLevel.Error,
        ["fatal"] = LogLevel.Critical,
        ["silent"] = LogLevel.None,
    };

    public static ServerSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = new ServerSettings();
        var client = ReadClient(configuration);
        return new ServerSettings
        {
            DbClient = client,
            ConnectionString = client == DatabaseClient.Sqlite ? SqliteConnectionString(configuration) : PostgresConnection(configuration),
            Host = Get(configuration, "HOST") ?? defaults.Host,
            Port = ReadInt(configuration, "PORT", defaults.Port, min: 1, max: 65535),
            PublicUrl = ReadUrl(configuration, "PUBLIC_URL"),
            AdminToken = Get(configuration, "ADMIN_TOKEN"),
            AdminEmail = Get(configuration, "ADMIN_EMAIL") ?? defaults.AdminEmail,
            QueryLimitDefault = ReadInt(configuration, "QUERY_LIMIT_DEFAULT", defaults.QueryLimitDefault, min: 1),
            QueryLimitMax = ReadLimitMax(configuration),
            GraphQLQueryTokenLimit = ReadInt(configuration, "GRAPHQL_QUERY_TOKEN_LIMIT", defaults.GraphQLQueryTokenLimit, min: 1),
            MaxPayloadSize = ReadSize(configuration, "MAX_PAYLOAD_SIZE", defaults.MaxPayloadSize),
            MaxFileSize = Get(configuration, "MAX_FILE_SIZE") is null ? defaults.MaxFileSize : ReadSize(configuration, "MAX_FILE_SIZE", 0),
            FileMetadataAllowList = Get(configuration, "FILE_METADATA_ALLOW_LIST") is { } allowList
                ? allowList.Replace("array:", "", StringComparison.Ordinal).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : defaults.FileMetadataAllowList,
            MaxRelationalDepth = ReadInt(configuration, "MAX_RELATIONAL_DEPTH", defaults.MaxRelationalDepth, min: 2),
            QueryFirstBatchSize = ReadInt(configuration, "QUERY_FIRST_BATCH_SIZE", defaults.QueryFirstBatchSize, min: 1),
            QueryBatchSize = ReadInt(configuration, "QUERY_BATCH_SIZE", defaults.QueryBatchSize, min: 1),
            GraphQLIntrospection = ReadBool(configuration, "GRAPHQL_INTROSPECTION", defaults.GraphQLIntrospection),
            Accountability = ReadAccountability(Get(configuration, "ACCOUNTABILITY")),
            WebSockets = new WebSocketSettings
            {
                Enabled = ReadBool(configuration, "WEBSOCKETS_ENABLED", false),
                GraphQLEnabled = ReadBool(configuration, "WEBSOCKETS_GRAPHQL_ENABLED", true),
                GraphQLPath = Get(configuration, "WEBSOCKETS_GRAPHQL_PATH") ?? "/graphql",
                GraphQLAuth = Get(configuration, "WEBSOCKETS_GRAPHQL_AUTH")?.ToLowerInvariant() switch
                {
                    null or "handshake" => "handshake",
                    "public" => "public",
                    "strict" => "strict",
                    var other => throw new SettingsException("WEBSOCKETS_GRAPHQL_AUTH", $"'{other}' is not supported; use handshake, public or strict."),
                },
                GraphQLAuthTimeout = TimeSpan.FromSeconds(ReadInt(configuration, "WEBSOCKETS_GRAPHQL_AUTH_TIMEOUT", 10, min: 1)),
                GraphQLConnectionLimit = Get(configuration, "WEBSOCKETS_GRAPHQL_CONN_LIMIT") is { } limit && limit != "Infinity"
                    ? ReadInt(configuration, "WEBSOCKETS_GRAPHQL_CONN_LIMIT", 0, min: 1)
                    : null,
                GraphQLMaxBacklog = ReadInt(configuration, "WEBSOCKETS_GRAPHQL_MAX_BACKLOG", 10_000, min: 1),
                HeartbeatEnabled = ReadBool(configuration, "WEBSOCKETS_HEARTBEAT_ENABLED", true),
                HeartbeatPeriod = TimeSpan.FromSeconds(ReadInt(configuration, "WEBSOCKETS_HEARTBEAT_PERIOD", 30, min: 1)),
            },
            GraphQLQueryTimeout = ReadInt(configuration, "GRAPHQL_QUERY_TIMEOUT", defaults.GraphQLQueryTimeout, min: 0),
            GraphQLDirectReads = ReadBool(configuration, "GRAPHQL_DIRECT_READS", defaults.GraphQLDirectReads),
            DbCompiledQueries = ReadBool(configuration, "DB_COMPILED_QUERIES", defaults.DbCompiledQueries),
            DbThreadSafetyChecks = ReadBool(configuration, "DB_THREAD_SAFETY_CHECKS", defaults.DbThreadSafetyChecks),
            InvalidationNotifyAll = ReadBool(configuration, "INVALIDATION_NOTIFY_ALL", defaults.InvalidationNotifyAll),
            RateLimiter = ReadRateLimiter(configuration),
            Cache = ReadCache(configuration),
            StorageLocalRoot = Get(configuration, "STORAGE_LOCAL_ROOT") ?? defaults.StorageLocalRoot,
            StorageLocations = ReadStorageLocations(configuration),
            LogLevel = ReadLogLevel(configuration, defaults.LogLevel),
            GraphQLIde = ReadBool(configuration, "GRAPHQL_IDE", defaults.GraphQLIde),
            MetricsEnabled = ReadBool(configuration, "METRICS_ENABLED", defaults.MetricsEnabled),
            MetricsTokens = ReadList(configuration, "METRICS_TOKENS") ?? defaults.MetricsTokens,
            OtlpEndpoint = Get(configuration, "OTEL_EXPORTER_OTLP_ENDPOINT"),
            Cors = ReadCors(configuration),
            Retention = Activity.RetentionSettings.Read(key => Get(configuration, key)),
            IpTrustProxy = Http.ClientAddress.Validate(Get(configuration, "IP_TRUST_PROXY") ?? defaults.IpTrustProxy),
            IpCustomHeader = Get(configuration, "IP_CUSTOM_HEADER") is { } header && !header.Equals("false", StringComparison.OrdinalIgnoreCase) ? header : null,
        };
    }

    private static string? Get(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static DatabaseClient ReadClient(IConfiguration configuration)
        => Get(configuration, "DB_CLIENT")?.ToLowerInvariant() switch
        {
            null or "sqlite3" or "sqlite" => DatabaseClient.Sqlite,
            "pg" or "postgres" or "postgresql" => DatabaseClient.Postgres,
            var other => throw new SettingsException("DB_CLIENT", $"'{other}' is not supported; use sqlite3 or pg."),
        };

    private static string SqliteConnectionString(IConfiguration configuration)
    {
        var file = Get(configuration, "DB_FILENAME") ?? "./data/artifactgraph.db";
        return new SqliteConnectionStringBuilder { DataSource = file }.ConnectionString;
    }

    private static string PostgresConnection(IConfiguration configuration) => WithPool(configuration, PostgresServer(configuration));

    /// <summary>
    /// Directus's <c>DB_POOL__MIN</c> and <c>DB_POOL__MAX</c> (its knex pool's bounds) as Npgsql's <c>Minimum Pool Size</c>
    /// and <c>Maximum Pool Size</c>, over what the connection string says. Unset, the connection string's own values
    /// or ArtifactGraph's defaults apply (<see cref="ArtifactGraphDbOptions.DefaultMaxPoolSize"/>, never below the minimum).
    /// </summary>
    private static string WithPool(IConfiguration configuration, string connectionString)
    {
        var min = ReadPoolBound(configuration, "MIN", 0);
        var max = ReadPoolBound(configuration, "MAX", 1);
        if (min is null && max is null)
        {
            return connectionString;
        }

        // Only what is set goes into the string: a MaxPoolSize written back unchanged would read as chosen and hide the default.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (max is not null)
        {
            builder.MaxPoolSize = max.Value;
        }

        if (min is not null)
        {
            builder.MinPoolSize = min.Value;
        }

        // A maximum someone chose (DB_POOL__MAX or the connection string) must hold the minimum; the default maximum
        // rises to it instead (ArtifactGraphDbOptions.PooledPostgres), as for a Minimum Pool Size in the connection string.
        var chosenMax = max ?? (ArtifactGraphDbOptions.SetsMaxPoolSize(connectionString) ? builder.MaxPoolSize : null);
        if (builder.MinPoolSize > chosenMax)
        {
            throw new SettingsException("DB_POOL__MIN", $"{builder.MinPoolSize} is more than the pool's maximum ({chosenMax}).");
        }

        return builder.ConnectionString;
    }

    /// <summary><c>DB_POOL__MIN</c> or <c>DB_POOL__MAX</c>: configuration key <c>DB_POOL:MAX</c> from the environment, either spelling in appsettings.json.</summary>
    private static int? ReadPoolBound(IConfiguration configuration, string bound, int min)
    {
        var name = $"DB_POOL__{bound}";
        var key = Get(configuration, $"DB_POOL:{bound}") is not null ? $"DB_POOL:{bound}" : name;
        return Get(configuration, key) is null ? null : ReadInt(configuration, key, 0, min: min, max: 1024, name: name);
    }

    private static string PostgresServer(IConfiguration configuration)
    {
        var connectionString = Get(configuration, "DB_CONNECTION_STRING");
        if (connectionString is not null)
        {
            try
            {
                return PostgresConnectionString.Parse(connectionString);
            }
            catch (FormatException ex)
            {
                throw new SettingsException("DB_CONNECTION_STRING", ex.Message, ex);
            }
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Get(configuration, "DB_HOST") ?? throw Missing("DB_HOST"),
            Port = ReadInt(configuration, "DB_PORT", 5432, min: 1, max: 65535),
            Database = Get(configuration, "DB_DATABASE") ?? throw Missing("DB_DATABASE"),
            Username = Get(configuration, "DB_USER"),
            Password = configuration["DB_PASSWORD"],
        };
        return builder.ConnectionString;
    }

    private static SettingsException Missing(string variable)
        => new(variable, "is required when DB_CLIENT is pg and DB_CONNECTION_STRING is not set.");

    /// <param name="name">The variable to name in an error, when not <paramref name="key"/>.</param>
    private static Dictionary<string, string?> ReadAccountability(string? text)
    {
        var modes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split(':', StringSplitOptions.TrimEntries);
            modes[parts[0]] = parts is [_, var mode] && mode is "all" or "activity" or "none"
                ? mode == "none" ? null : mode
                : throw new SettingsException("ACCOUNTABILITY", $"'{pair}' is not collection:mode with a mode of all, activity or none.");
        }

        return modes;
    }

    private static int ReadInt(IConfiguration configuration, string key, int fallback, int min = int.MinValue, int max = int.MaxValue, string? name = null)
    {
        var text = Get(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            var range = max == int.MaxValue ? $"at least {min}" : $"between {min} and {max}";
            throw new SettingsException(name ?? key, $"'{text}' is not a whole number {range}.");
        }

        return value;
    }

    private static int? ReadLimitMax(IConfiguration configuration)
    {
        var text = Get(configuration, "QUERY_LIMIT_MAX");
        if (text is null || text == "-1" || text.Equals("Infinity", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return ReadInt(configuration, "QUERY_LIMIT_MAX", 0, min: 1);
    }

    private static long ReadSize(IConfiguration configuration, string key, long fallback)
    {
        var text = Get(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        return ByteSize.TryParse(text, out var bytes)
            ? bytes
            : throw new SettingsException(key, $"'{text}' is not a size (examples: 1048576, 500kb, 2mb, 1gb).");
    }

    private static string? ReadUrl(IConfiguration configuration, string key)
    {
        var text = Get(configuration, key);
        if (text is null || text == "/")
        {
            return text;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? text.TrimEnd('/')
            : throw new SettingsException(key, $"'{text}' is not an absolute http(s) URL.");
    }

    private static LogLevel ReadLogLevel(IConfiguration configuration, LogLevel fallback)
    {
        var text = Get(configuration, "LOG_LEVEL");
        if (text is null)
        {
            return fallback;
        }

        return LogLevels.TryGetValue(text, out var level)
            ? level
            : throw new SettingsException("LOG_LEVEL", $"'{text}' is not one of {string.Join(", ", LogLevels.Keys)}.");
    }
}
