namespace ArtifactGraph.Server.Configuration;

public static partial class SettingsLoader
{
    /// <summary>
    /// <c>STORAGE_LOCATIONS</c> (comma separated, <c>local</c> by default) and each location's <c>STORAGE_&lt;NAME&gt;_*</c>
    /// settings. The <c>local</c> location's driver defaults to local; any other location must name its driver.
    /// </summary>
    private static IReadOnlyList<StorageLocation> ReadStorageLocations(IConfiguration configuration)
    {
        var names = (Get(configuration, "STORAGE_LOCATIONS") ?? "local")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            throw new SettingsException("STORAGE_LOCATIONS", "names no location.");
        }

        var locations = new List<StorageLocation>();
        foreach (var name in names)
        {
            if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw new SettingsException("STORAGE_LOCATIONS", $"'{name}' is not a location name (letters, digits, _ and -).");
            }

            if (locations.Any(l => l.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new SettingsException("STORAGE_LOCATIONS", $"'{name}' is named twice.");
            }

            locations.Add(ReadStorageLocation(configuration, name));
        }

        return locations;
    }

    private static StorageLocation ReadStorageLocation(IConfiguration configuration, string name)
    {
        var prefix = $"STORAGE_{name.ToUpperInvariant().Replace('-', '_')}_";
        var isLocal = name.Equals("local", StringComparison.OrdinalIgnoreCase);
        var driverKey = prefix + "DRIVER";
        var driver = Get(configuration, driverKey)?.ToLowerInvariant() switch
        {
            null when isLocal => StorageDriver.Local,
            null => throw new SettingsException(driverKey, $"is required for the storage location '{name}' (local or s3)."),
            "local" => StorageDriver.Local,
            "s3" => StorageDriver.S3,
            var other => throw new SettingsException(driverKey, $"'{other}' is not a supported storage driver; use local or s3."),
        };

        if (driver == StorageDriver.Local)
        {
            var root = Get(configuration, prefix + "ROOT")
                ?? (isLocal ? "./uploads" : throw new SettingsException(prefix + "ROOT", $"is required for the local storage location '{name}'."));
            return new StorageLocation { Name = name, Driver = driver, Root = root };
        }

        var endpoint = Get(configuration, prefix + "ENDPOINT");
        if (endpoint is not null && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            throw new SettingsException(prefix + "ENDPOINT", $"'{endpoint}' is not an absolute http(s) URL.");
        }

        var key = Get(configuration, prefix + "KEY");
        var secret = Get(configuration, prefix + "SECRET");
        if ((key is null) != (secret is null))
        {
            throw new SettingsException(key is null ? prefix + "KEY" : prefix + "SECRET", $"{prefix}KEY and {prefix}SECRET must be set together.");
        }

        return new StorageLocation
        {
            Name = name,
            Driver = driver,
            Key = key,
            Secret = secret,
            Bucket = Get(configuration, prefix + "BUCKET") ?? throw new SettingsException(prefix + "BUCKET", $"is required for the S3 storage location '{name}'."),
            Endpoint = endpoint,
            Region = Get(configuration, prefix + "REGION"),
            ForcePathStyle = ReadBool(configuration, prefix + "FORCE_PATH_STYLE", false),
        };
    }
}
