namespace ArtifactGraph.Data.Import;

/// <summary>The rows inserted per collection, in the order they were inserted.</summary>
public sealed record ImportResult(IReadOnlyList<KeyValuePair<string, int>> RowsByCollection)
{
    public int TotalRows => RowsByCollection.Sum(x => x.Value);
}
