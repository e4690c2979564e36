using System.Security.Cryptography;
using ArtifactGraph.Data.Import;
using ArtifactGraph.Server.Storage;

namespace ArtifactGraph.Server.Cli;

/// <summary>
/// Copies a folder of uploads (named by <c>filename_disk</c>) into file storage. Checked before the
/// database import starts: plain names only, and an existing file with other bytes is a conflict
/// (never overwritten silently); an identical one is skipped.
/// </summary>
public sealed class UploadsCopier(IFileStorage storage)
{
    /// <summary>The files of <paramref name="directory"/> that storage lacks.</summary>
    /// <exception cref="ImportException">A missing folder, a bad name or a conflicting file.</exception>
    public async Task<IReadOnlyList<string>> PlanAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            throw new ImportException($"The uploads folder '{directory}' does not exist.");
        }

        var toCopy = new List<string>();
        foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (!StorageFileName.IsValid(name))
            {
                throw new ImportException($"Upload '{name}': not a plain file name.");
            }

            await using var existing = await storage.OpenReadAsync(name, cancellationToken);
            if (existing is null)
            {
                toCopy.Add(path);
                continue;
            }

            await using var candidate = File.OpenRead(path);
            var existingHash = await HashAsync(existing, cancellationToken);
            var candidateHash = await HashAsync(candidate, cancellationToken);
            if (!existingHash.AsSpan().SequenceEqual(candidateHash))
            {
                throw new ImportException($"Upload '{name}': storage already holds a different file of that name.");
            }
        }

        return toCopy;
    }

    public async Task CopyAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        foreach (var path in paths)
        {
            await using var content = File.OpenRead(path);
            await storage.SaveAsync(Path.GetFileName(path), content, cancellationToken);
        }
    }

    private static Task<byte[]> HashAsync(Stream stream, CancellationToken cancellationToken)
        => SHA256.HashDataAsync(stream, cancellationToken).AsTask();
}
