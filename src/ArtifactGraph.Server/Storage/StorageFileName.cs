namespace ArtifactGraph.Server.Storage;

/// <summary>Storage keys are plain file names: never a path that could leave the storage root.</summary>
public static class StorageFileName
{
    public static bool IsValid(string? name)
        => !string.IsNullOrWhiteSpace(name)
           && name is not ("." or "..")
           && !name.Contains("..", StringComparison.Ordinal)
           && name.IndexOfAny(['/', '\\', '\0']) < 0
           && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0;

    /// <exception cref="ArgumentException">The name is not a plain file name.</exception>
    public static string Validate(string? name)
        => IsValid(name) ? name! : throw new ArgumentException($"'{name}' is not a plain file name.", nameof(name));
}
