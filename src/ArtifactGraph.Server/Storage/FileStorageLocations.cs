using ArtifactGraph.Server.Configuration;

namespace ArtifactGraph.Server.Storage;

/// <summary>
/// The storage locations by name (<c>STORAGE_LOCATIONS</c>): <c>directus_files.storage</c> names the location of each
/// file, so reads and deletes go to the row's location; new uploads go to <see cref="Default"/>, the first.
/// </summary>
public interface IFileStorageLocations
{
    /// <summary>The name of the location new uploads go to.</summary>
    string Default { get; }

    /// <summary>The storage of the location <paramref name="name"/>, or null when no such location is configured.</summary>
    IFileStorage? Find(string? name);
}

public sealed class FileStorageLocations : IFileStorageLocations
{
    private readonly Dictionary<string, IFileStorage> byName;

    public FileStorageLocations(IReadOnlyList<(string Name, IFileStorage Storage)> locations)
    {
        if (locations.Count == 0)
        {
            throw new ArgumentException("At least one storage location is needed.", nameof(locations));
        }

        Default = locations[0].Name;
        byName = locations.ToDictionary(l => l.Name, l => l.Storage, StringComparer.Ordinal);
    }

    public string Default { get; }

    public IFileStorage? Find(string? name) => name is not null && byName.TryGetValue(name, out var storage) ? storage : null;

    /// <summary>The storage of the default location.</summary>
    public IFileStorage DefaultStorage => byName[Default];

    /// <summary>One storage per configured location, each on its driver.</summary>
    public static FileStorageLocations Create(ServerSettings settings)
        => new(settings.StorageLocations.Select(l => (l.Name, Create(l))).ToList());

    private static IFileStorage Create(StorageLocation location) => location.Driver switch
    {
        StorageDriver.S3 => new S3FileStorage(location),
        _ => new LocalFileStorage(location.Root),
    };
}
