using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Scalars;
using GraphQL.Types;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary>
/// The graph types of one schema, created on first use and cached by name so that recursive relations and shared
/// types (operator inputs, function types) exist once. A new registry is used for every schema built.
/// </summary>
public sealed class TypeRegistry(DirectusModel model, AccessRules? access = null)
{
    private readonly Dictionary<string, IGraphType> types = new(StringComparer.Ordinal);

    public DirectusModel Model { get; } = model;

    /// <summary>What the schema's caller may do: types hold only the fields it may use (spec §9.6).</summary>
    public AccessRules Access { get; } = access ?? AccessRules.Admin;

    /// <summary>The fields of the collection the caller may read (relations only when the related collection is readable too).</summary>
    public IEnumerable<FieldModel> Readable(CollectionModel c) => c.Fields.Where(f => Access.CanUse(f, "read"));

    /// <summary>The fields an input for <paramref name="action"/> offers: the key (to link an item) and the permitted fields.</summary>
    public IEnumerable<FieldModel> Writable(CollectionModel c, string action)
        => c.Fields.Where(f => f.IsPrimaryKey || (Access.For(c, action)?.AllowsField(f.Name) ?? false));

    /// <summary>The caller can read the collection: a read permission with at least one field.</summary>
    public bool CanRead(CollectionModel c) => Access.Can(c, "read") && Readable(c).Any();

    public JsonScalar Json { get; } = new();
    public DateScalar Date { get; } = new();
    public BigIntScalar BigInt { get; } = new();
    public StringOrFloatScalar StringOrFloat { get; } = new();
    public HashScalar Hash { get; } = new();
    public JsonFilterScalar JsonFilter { get; } = new();
    public VoidScalar Void { get; } = new();
    public IdGraphType Id { get; } = new();
    public StringGraphType String { get; } = new();
    public IntGraphType Int { get; } = new();
    public FloatGraphType Float { get; } = new();
    public BooleanGraphType Boolean { get; } = new();

    public T GetOrAdd<T>(string name, Func<T> create, Action<T>? populate = null)
        where T : IGraphType
    {
        if (types.TryGetValue(name, out var existing))
        {
            return (T)existing;
        }

        var type = create();
        type.Name = name;
        types[name] = type;
        populate?.Invoke(type);
        return type;
    }

    /// <summary>The scalar a Directus field type maps to (spec §2.2).</summary>
    public IGraphType Scalar(FieldModel field) => field.DirectusType switch
    {
        "uuid" => Id,
        "integer" => Int,
        "bigInteger" => BigInt,
        "float" or "decimal" => Float,
        "boolean" => Boolean,
        "json" => Json,
        "timestamp" or "dateTime" or "date" or "time" => Date,
        "hash" => Hash,
        "csv" => ListOf(String),
        _ => String,
    };

    public static IGraphType NonNull(IGraphType type) => new NonNullGraphType(type);

    public static IGraphType ListOf(IGraphType type) => new ListGraphType(type);

    public EnumerationGraphType EventEnum => GetOrAdd("EventEnum", () => new EnumerationGraphType(), e =>
    {
        e.Description = "The kind of change a subscription reports.";
        foreach (var name in new[] { "create", "update", "delete" })
        {
            e.Add(name, name);
        }
    });

    public ObjectGraphType DeleteOne => GetOrAdd("delete_one", () => new ObjectGraphType(), t =>
    {
        t.Description = "The key of the deleted item.";
        t.Field("id", NonNull(Id)).Resolve(c => ((DeleteResult)c.Source!).Ids.FirstOrDefault());
    });

    public ObjectGraphType DeleteMany => GetOrAdd("delete_many", () => new ObjectGraphType(), t =>
    {
        t.Description = "The keys of the deleted items.";
        t.Field("ids", NonNull(ListOf(Id))).Resolve(c => ((DeleteResult)c.Source!).Ids);
    });
}

/// <summary>What a delete mutation returns: the keys as given.</summary>
public sealed record DeleteResult(IReadOnlyList<object?> Ids);
