using ArtifactGraph.Server.Directus.Model;

namespace ArtifactGraph.Server.Access;

/// <summary>What one permission allows: the fields (null = all), the items (null = all), what written values must
/// pass, and the default values of new items.</summary>
public sealed record CollectionPermission(
    IReadOnlySet<string>? Fields,
    IReadOnlyDictionary<string, object?>? ItemFilter,
    IReadOnlyDictionary<string, object?>? Validation,
    IReadOnlyDictionary<string, object?>? Presets)
{
    public static readonly CollectionPermission All = new(null, null, null, null);

    public bool AllowsField(string field) => Fields is null || Fields.Contains(field);
}

/// <summary>
/// The permissions of one caller (the merged permissions of its policies, Directus 11's model): per collection and
/// action (<c>read</c>, <c>create</c>, <c>update</c>, <c>delete</c>, <c>promote</c>). Administrators bypass them.
/// <see cref="SchemaKey"/> identifies what the caller's schema looks like, so that callers with the same collections,
/// actions and fields share one cached schema whatever their item filters.
/// </summary>
public sealed class AccessRules
{
    public static readonly AccessRules Admin = new(true, new Dictionary<(string, string), CollectionPermission>());

    /// <summary>No permission at all: the public's default (Directus's schema is then <c>Query { _empty }</c>).</summary>
    public static readonly AccessRules None = new(false, new Dictionary<(string, string), CollectionPermission>());

    private readonly IReadOnlyDictionary<(string Collection, string Action), CollectionPermission> permissions;

    public AccessRules(bool isAdmin, IReadOnlyDictionary<(string Collection, string Action), CollectionPermission> permissions)
    {
        IsAdmin = isAdmin;
        this.permissions = permissions;
        SchemaKey = isAdmin
            ? "admin"
            : string.Join("|", permissions.OrderBy(p => p.Key.Collection, StringComparer.Ordinal).ThenBy(p => p.Key.Action, StringComparer.Ordinal)
                .Select(p => $"{p.Key.Collection}:{p.Key.Action}:{(p.Value.Fields is null ? "*" : string.Join(",", p.Value.Fields.Order(StringComparer.Ordinal)))}"));
    }

    public bool IsAdmin { get; }

    public string SchemaKey { get; }

    public CollectionPermission? For(CollectionModel collection, string action) => For(collection.Name, action);

    public CollectionPermission? For(string collection, string action)
        => IsAdmin ? CollectionPermission.All : permissions.GetValueOrDefault((collection, action));

    public bool Can(CollectionModel collection, string action) => For(collection, action) is not null;

    /// <summary>The field is part of what the caller may <paramref name="action"/>: its collection allows it, and for a
    /// relation the related collection (or junction) is readable too.</summary>
    public bool CanUse(FieldModel field, string action)
        => For(field.Collection, action) is { } permission && permission.AllowsField(field.Name)
            && (field.Related is null || Can(field.Related, "read"));

    /// <summary>The field of that name if the caller may read it (filters, sorts, groups and searches use only these).</summary>
    public FieldModel? Readable(CollectionModel collection, string name)
        => collection.Field(name) is { } field && CanUse(field, "read") ? field : null;

    /// <summary>The rows of the collection the caller may read (null: all of them).</summary>
    public IReadOnlyDictionary<string, object?>? ReadFilter(CollectionModel collection) => For(collection, "read")?.ItemFilter;
}
