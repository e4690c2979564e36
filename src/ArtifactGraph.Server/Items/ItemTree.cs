using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;

namespace ArtifactGraph.Server.Items;

/// <summary>What an entry of a selection makes the loader do.</summary>
public enum ItemFieldKind
{
    /// <summary>Nothing to load: a transport's own entry (GraphQL's <c>__typename</c>, a REST function of a column).</summary>
    Computed,

    /// <summary>A column of the row (a many-to-one field not expanded is its foreign key).</summary>
    Scalar,

    /// <summary>A many-to-one item read in the same statement as its parent rows (<see cref="JoinedRelation"/>).</summary>
    JoinedManyToOne,

    /// <summary>A many-to-one item loaded through its batch loader.</summary>
    ManyToOne,

    /// <summary>The child rows of a one-to-many field, loaded through their batch loader.</summary>
    OneToMany,

    /// <summary>How many child rows a one-to-many field has, counted through a batch loader (in <see cref="ItemField.Items"/>).</summary>
    Count,
}

/// <summary>
/// The neutral selection tree: the entries one object of a collection answers, in answer order, each relation with the
/// read arguments, columns and joins it is read with. A GraphQL selection set and a REST <c>fields</c> list both become
/// one; <see cref="ItemTreeLoader"/> loads it level by level through the batch loaders, and each transport writes the
/// answer from it (deriving its nodes to carry what only it needs, such as GraphQL's types).
/// </summary>
public class ItemSelection(CollectionModel collection, IReadOnlyList<ItemField> fields)
{
    public CollectionModel Collection { get; } = collection;

    public IReadOnlyList<ItemField> Entries { get; } = fields;

    /// <summary>The properties to read for these entries: the key, every column, the foreign key of every relation.</summary>
    public IReadOnlyList<string> Columns() => JoinedRelation.ColumnsOf(Collection, Entries.Select(f => f.Field));

    /// <summary>The many-to-one entries read with a join.</summary>
    public IReadOnlyList<JoinedRelation>? Joins()
    {
        List<JoinedRelation>? joins = null;
        foreach (var field in Entries)
        {
            if (field.Kind == ItemFieldKind.JoinedManyToOne)
            {
                var columns = field.Child!.Columns();
                (joins ??= []).Add(new JoinedRelation(field.Field!, columns, [QueryArgs.None with { Columns = columns }]));
            }
        }

        return joins;
    }

    /// <summary>Forgets what the loader found for these entries and the levels below (a batch written, before the next is loaded).</summary>
    public void Clear()
    {
        foreach (var field in Entries)
        {
            field.Items.Clear();
            field.Lists.Clear();
            field.Child?.Clear();
        }
    }

    /// <summary><paramref name="args"/> reading what these entries need.</summary>
    public QueryArgs Shape(QueryArgs args) => args with { Columns = Columns(), Joins = Joins() };
}

/// <summary>One entry of a <see cref="ItemSelection"/>, and (once loaded) what it found.</summary>
public class ItemField(string responseKey, ItemFieldKind kind)
{
    public string ResponseKey { get; } = responseKey;

    public ItemFieldKind Kind { get; } = kind;

    /// <summary>The model field (for a computed entry: the column it is computed from, if any).</summary>
    public FieldModel? Field { get; init; }

    /// <summary>The related collection's selection (relations).</summary>
    public ItemSelection? Child { get; init; }

    /// <summary>The read arguments of a loaded relation, shaped for <see cref="Child"/>.</summary>
    public QueryArgs Args { get; init; } = QueryArgs.None;

    /// <summary>Many-to-one: the related item per foreign key (filled by the loader).</summary>
    public Dictionary<object, object?> Items { get; } = [];

    /// <summary>One-to-many: the child rows per parent key (filled by the loader).</summary>
    public Dictionary<object, IReadOnlyList<object>> Lists { get; } = [];

    /// <summary>The related item of a many-to-one entry for this row (joined or loaded); null when none.</summary>
    public object? RelatedItem(object row) => Kind == ItemFieldKind.JoinedManyToOne
        ? Field!.NavigationGetter(row)
        : Field!.Getter(row) is { } key ? Items.GetValueOrDefault(key) : null;

    /// <summary>The child rows of a one-to-many entry for this row of <paramref name="parent"/>.</summary>
    public IReadOnlyList<object> Children(CollectionModel parent, object row)
        => Lists.TryGetValue(parent.PrimaryKey.Getter(row)!, out var children) ? children : [];
}
