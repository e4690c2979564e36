namespace ArtifactGraph.Server.Storage;

/// <summary>Keeps file bytes in a folder (<c>STORAGE_LOCAL_ROOT</c>), one file per <c>filename_disk</c>.</summary>
public sealed class LocalFileStorage(string root) : IFileStorage
{
    public string Root { get; } = Path.GetFullPath(root);

    public async Task SaveAsync(string filenameDisk, Stream content, CancellationToken cancellationToken)
    {
        var target = PathOf(filenameDisk);
        Directory.CreateDirectory(Root);

        // Write beside the target and move into place, so a reader never sees half a file.
        var temporary = Path.Combine(Root, $".{filenameDisk}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(output, cancellationToken);
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<Stream?> OpenReadAsync(string filenameDisk, CancellationToken cancellationToken)
    {
        var path = PathOf(filenameDisk);
        Stream? stream = File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true)
            : null;
        return Task.FromResult(stream);
    }

    public Task DeleteAsync(string filenameDisk, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(filenameDisk));
        return Task.CompletedTask;
    }

    private string PathOf(string filenameDisk) => Path.Combine(Root, StorageFileName.Validate(filenameDisk));
}
