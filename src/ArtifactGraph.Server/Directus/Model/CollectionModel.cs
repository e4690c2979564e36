namespace ArtifactGraph.Server.Directus.Model;

/// <summary>A Directus collection: a table, its ordered fields and its relations.</summary>
public sealed class CollectionModel
{
    public required string Name { get; init; }

    public required Type EntityType { get; init; }

    public required int Order { get; init; }

    /// <summary>A Directus system collection (<c>directus_*</c>): served on <c>/graphql/system</c>, reachable from items.</summary>
    public required bool IsSystem { get; init; }

    /// <summary>Written by the server alone (<c>directus_activity</c>, <c>directus_revisions</c>): no mutations, rows kept as written.</summary>
    public bool IsReadOnly { get; init; }

    public List<FieldModel> Fields { get; } = [];

    public FieldModel PrimaryKey => primaryKey ??= Fields.First(f => f.IsPrimaryKey);

    // Looked up once: resolvers ask for it once per row.
    private FieldModel? primaryKey;

    /// <summary>The root field name: system collections lose their <c>directus_</c> prefix on <c>/graphql/system</c>.</summary>
    public string RootName => IsSystem && Name.StartsWith("directus_", StringComparison.Ordinal) ? Name["directus_".Length..] : Name;

    public FieldModel? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    public override string ToString() => Name;
}
