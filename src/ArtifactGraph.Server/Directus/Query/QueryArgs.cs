using System.Text.Json;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>The Directus read arguments of a list (root or nested): filter, sort, limit, offset, page, search.</summary>
public sealed record QueryArgs(
    IReadOnlyDictionary<string, object?>? Filter,
    IReadOnlyList<string>? Sort,
    int? Limit,
    int? Offset,
    int? Page,
    string? Search)
{
    public static readonly QueryArgs None = new(null, null, null, null, null, null);

    /// <summary>
    /// The entity properties the query's selection needs (key, selected columns, foreign keys of selected relations),
    /// so that only those columns are read; null reads every column.
    /// </summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>
    /// Many-to-one fields of the selection read in the same statement as these rows (see <see cref="JoinedRelation"/>);
    /// null or empty when none. Not part of <see cref="CacheKey"/>: what is read is the same either way.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<JoinedRelation>? Joins { get; init; }

    public bool IsEmpty => this == None;

    /// <summary>A stable text form, used to give each distinct argument set its own batch loader.</summary>
    public string CacheKey() => IsEmpty ? "" : Keys.GetValue(this, args => JsonSerializer.Serialize(args));

    /// <summary><see cref="CacheKey"/> plus the joined relations: the key of a batch loader that joins them.</summary>
    public string LoaderKey() => Joins is { Count: > 0 } joins
        ? LoaderKeys.GetValue(this, args => $"{args.CacheKey()}|{string.Join('|', joins.Select(j => j.Key))}")
        : CacheKey();

    /// <summary>
    /// <see cref="LoaderKey"/> without the filter: what decides a compiled read's shape besides its filters, whose shape
    /// <see cref="FilterShape"/> gives without their values.
    /// </summary>
    public string ShapeKey() => Filter is null
        ? LoaderKey()
        : ShapeKeys.GetValue(this, args => $"{JsonSerializer.Serialize(args with { Filter = null })}|{string.Join('|', args.Joins?.Select(j => j.Key) ?? [])}");

    // Computed once per instance (relation resolvers ask once per parent row), kept outside the record's equality.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<QueryArgs, string> Keys = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<QueryArgs, string> LoaderKeys = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<QueryArgs, string> ShapeKeys = new();

    /// <summary>The same arguments reading at least <paramref name="property"/> too (when reading only some columns).</summary>
    public QueryArgs WithColumn(string property)
        => Columns is null || Columns.Contains(property) ? this : this with { Columns = [.. Columns, property] };

    /// <summary>The effective (skip, take) per Directus: default limit, -1 for all, page replacing offset.</summary>
    public (int Skip, int? Take) Window(int defaultLimit, int? maxLimit)
    {
        if (Limit is < -1)
        {
            throw DirectusException.InvalidQuery("\"limit\" must be greater than or equal to -1");
        }

        if (Offset is < 0)
        {
            throw DirectusException.InvalidQuery("\"offset\" must be greater than or equal to 0");
        }

        if (Page is < 0)
        {
            throw DirectusException.InvalidQuery("\"page\" must be greater than or equal to 0");
        }

        int? take = Limit switch
        {
            null => maxLimit is { } max ? Math.Min(defaultLimit, max) : defaultLimit,
            -1 => maxLimit,
            var l when maxLimit is { } max && l > max => throw DirectusException.InvalidQuery($"\"limit\" must be less than or equal to {max}"),
            var l => l,
        };

        var skip = Offset ?? 0;
        if (Page is > 0 && take is { } pageSize)
        {
            skip = (int)Math.Min(int.MaxValue, (long)pageSize * (Page.Value - 1));
        }

        return (skip, take);
    }
}
