namespace ArtifactGraph.Server.Directus.Query;

#pragma warning disable SA1402, SA1649 // One small family of key shapes for LINQ GroupBy.

/// <summary>Composite GroupBy keys EF Core can translate (constructed with member bindings like anonymous types).</summary>
public sealed class GroupKey<T1>(T1 item1)
{
    public T1 Item1 { get; } = item1;
}

public sealed class GroupKey<T1, T2>(T1 item1, T2 item2)
{
    public T1 Item1 { get; } = item1;
    public T2 Item2 { get; } = item2;
}

public sealed class GroupKey<T1, T2, T3>(T1 item1, T2 item2, T3 item3)
{
    public T1 Item1 { get; } = item1;
    public T2 Item2 { get; } = item2;
    public T3 Item3 { get; } = item3;
}

public sealed class GroupKey<T1, T2, T3, T4>(T1 item1, T2 item2, T3 item3, T4 item4)
{
    public T1 Item1 { get; } = item1;
    public T2 Item2 { get; } = item2;
    public T3 Item3 { get; } = item3;
    public T4 Item4 { get; } = item4;
}
