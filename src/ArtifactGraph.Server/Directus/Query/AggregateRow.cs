namespace ArtifactGraph.Server.Directus.Query;

/// <summary>One element of a <c>c_aggregated</c> list.</summary>
public sealed class AggregateRow
{
    public Dictionary<string, object?>? Group { get; init; }

    public int? CountAll { get; set; }

    public Dictionary<string, Dictionary<string, object?>> Aggregates { get; } = [];

    public IReadOnlyDictionary<string, object?> Values(string aggregate)
        => Aggregates.TryGetValue(aggregate, out var values) ? values : new Dictionary<string, object?>();
}
