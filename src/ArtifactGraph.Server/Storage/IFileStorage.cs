namespace ArtifactGraph.Server.Storage;

/// <summary>
/// Where file bytes live, keyed by <c>directus_files.filename_disk</c> (a plain file name). The local
/// disk and S3 (<see cref="S3FileStorage"/>) implement it; <see cref="IFileStorageLocations"/> picks one per file.
/// </summary>
public interface IFileStorage
{
    /// <summary>Stores (or replaces) the bytes of <paramref name="filenameDisk"/>.</summary>
    Task SaveAsync(string filenameDisk, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens the bytes for reading, or null when there is no such file.</summary>
    Task<Stream?> OpenReadAsync(string filenameDisk, CancellationToken cancellationToken);

    /// <summary>Removes the bytes of <paramref name="filenameDisk"/>; nothing happens when there are none.</summary>
    Task DeleteAsync(string filenameDisk, CancellationToken cancellationToken);
}
