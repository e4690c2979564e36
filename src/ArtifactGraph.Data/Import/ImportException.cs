namespace ArtifactGraph.Data.Import;

/// <summary>
/// An expected import failure (bad document, unknown collection or column, bad value, constraint
/// violation). The message names the collection, the row index and its id; nothing was kept.
/// </summary>
public sealed class ImportException(string message, Exception? inner = null) : Exception(message, inner)
{
    public static ImportException ForRow(string collection, int index, string? id, string problem, Exception? inner = null)
        => new($"{collection}[{index}] (id {id ?? "none"}): {problem}", inner);
}
