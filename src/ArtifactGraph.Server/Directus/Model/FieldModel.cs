using System.Reflection;

namespace ArtifactGraph.Server.Directus.Model;

/// <summary>What happens to a row when the item its many-to-one field points to is deleted.</summary>
public enum DeleteRule
{
    /// <summary>The reference becomes null (Directus's own rule for every relation).</summary>
    SetNull,

    /// <summary>The row is deleted with the item (junction rows).</summary>
    Cascade,

    /// <summary>The delete is refused while the row points to the item.</summary>
    Restrict,
}

public enum FieldKind
{
    /// <summary>A column holding a value.</summary>
    Scalar,

    /// <summary>A foreign-key column exposed as the related item (many-to-one).</summary>
    ManyToOne,

    /// <summary>An alias field listing the rows of another collection that point here (one-to-many, or the junction of a many-to-many).</summary>
    OneToMany,
}

/// <summary>One Directus field of a collection, with what the schema generator and the query translator need.</summary>
public sealed class FieldModel
{
    public required string Name { get; init; }

    public required FieldKind Kind { get; init; }

    /// <summary>The Directus type: uuid, integer, bigInteger, float, string, text, json, timestamp, boolean, hash, alias.</summary>
    public required string DirectusType { get; init; }

    /// <summary>The entity property holding the column value (null for alias fields).</summary>
    public PropertyInfo? Property { get; init; }

    /// <summary>For many-to-one fields: the reference navigation used for joins in filters and sorts.</summary>
    public PropertyInfo? Navigation { get; init; }

    /// <summary>For many-to-one fields: reads <see cref="Navigation"/> (the related item a join filled in).</summary>
    public Func<object, object?> NavigationGetter { get; init; } = _ => null;

    /// <summary>For one-to-many fields: the collection navigation on this entity.</summary>
    public PropertyInfo? CollectionNavigation { get; init; }

    public bool IsPrimaryKey { get; init; }

    public bool IsNullable { get; init; }

    /// <summary>A default value Directus would count as present (a falsy default such as 0 counts as none).</summary>
    public bool HasTruthyDefault { get; init; }

    public IReadOnlyList<string> Specials { get; init; } = [];

    /// <summary>The related collection (many-to-one target, or one-to-many child). Set once all collections exist.</summary>
    public CollectionModel? Related { get; internal set; }

    /// <summary>For one-to-many fields: the child's foreign-key field pointing back here.</summary>
    public FieldModel? ReverseField { get; internal set; }

    /// <summary>For one-to-many fields: the child field that orders the list (the junction's <c>sort</c>).</summary>
    public string? SortField { get; init; }

    /// <summary>For many-to-one fields: what deleting the related item does to this row (the model's delete rule).</summary>
    public DeleteRule OnDelete { get; init; }

    /// <summary>For text columns: the longest value the column holds (<c>character varying(n)</c>), checked before writing.</summary>
    public int? MaxLength { get; init; }

    public CollectionModel Collection { get; internal set; } = null!;

    public Func<object, object?> Getter { get; init; } = _ => null;

    public bool IsGenerated => Specials.Any(s => s is "uuid" or "date-created" or "date-updated" or "user-created" or "role-created" or "user-updated" or "role-updated");

    public bool IsNumeric => DirectusType is "integer" or "bigInteger" or "float" or "decimal";

    public bool IsDateTime => DirectusType is "timestamp" or "dateTime";

    public bool IsJson => DirectusType == "json";

    public bool IsText => DirectusType is "string" or "text";

    /// <summary>Directus's rule for <c>!</c> in read and create types: NOT NULL, no (truthy) default, not generated.</summary>
    public bool IsRequired => !IsNullable && !HasTruthyDefault && !IsGenerated && Kind != FieldKind.OneToMany;

    public override string ToString() => $"{Collection?.Name}.{Name}";
}
