using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Directus.Model;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>
/// A many-to-one field whose related items are read in the same SQL statement as the rows that point at them (a
/// LEFT JOIN through the entity's navigation), instead of by a batch loader one statement later.
/// </summary>
/// <param name="Field">The many-to-one field (with a navigation property).</param>
/// <param name="Columns">The related item's properties to read: every column that any of <paramref name="Targets"/> needs.</param>
/// <param name="Targets">
/// The read arguments each selection of the field resolves with (no filter, sort or paging: only a selection); the
/// batch loader of each is primed with the joined items, so the field's resolver finds them without a statement.
/// </param>
public sealed record JoinedRelation(FieldModel Field, IReadOnlyList<string> Columns, IReadOnlyList<QueryArgs> Targets)
{
    /// <summary>A stable text form, so that lists joining different relations get different batch loaders.</summary>
    public string Key => $"{Field.Name}({string.Join(',', Columns)})";

    /// <summary>
    /// Whether <paramref name="field"/> (selected without arguments: a filter, sort or page needs the loader's own
    /// statement) may be read with a join: a many-to-one field with a navigation, related to a collection the caller
    /// reads without an item filter (rows the caller may not see must come back as null, which only the loader's
    /// filtered read gives). The one rule for the resolvers' joins and the direct read path's.
    /// </summary>
    public static bool CanJoin(FieldModel field, AccessRules access)
        => field is { Kind: FieldKind.ManyToOne, Navigation: not null, Related: { } target } && access.ReadFilter(target) is null;

    /// <summary>
    /// Whether the related item is only its key (<see cref="Columns"/> holds the related primary key alone) and the
    /// database enforces the field's foreign key: then a non-null column always names an existing row, and the item is
    /// read from the column, <c>{ id: primary_file_id }</c>, without joining the related table. The answer is the join's:
    /// measured at one million versions, the join of 100 versions' primary files read 309 of the statement's 341 buffers
    /// (0.43 against 0.07 ms, the kept benchmark database, <c>EXPLAIN (ANALYZE, BUFFERS)</c>).
    /// </summary>
    public bool IsKeyOnly(Data.Model.EnforcedForeignKeys foreignKeys) => ReadsKeyOnly(Field, Columns, foreignKeys);

    /// <summary>
    /// Whether a many-to-one <paramref name="field"/> whose related item needs <paramref name="columns"/> is answered by
    /// its foreign key alone: the related item's primary key is all it needs, and the database enforces the field's
    /// foreign key. The one rule for a joined relation (<see cref="IsKeyOnly"/>) and a batch-loaded one
    /// (<see cref="Loading.RelationLoaders.IsKeyOnly"/>); the caller checks that the related rows are all readable.
    /// </summary>
    public static bool ReadsKeyOnly(FieldModel field, IReadOnlyList<string>? columns, Data.Model.EnforcedForeignKeys foreignKeys)
        => field is { Kind: FieldKind.ManyToOne, Related: { } target, Property: not null }
            && columns is [var only] && only == target.PrimaryKey.Property?.Name
            && IsEnforced(field, foreignKeys);

    /// <summary>
    /// Whether the database enforces the foreign key of the many-to-one <paramref name="field"/> (its column naming the
    /// related collection's primary key); false when nothing is known. The one lookup for key-only relations and for
    /// filters on a related key.
    /// </summary>
    public static bool IsEnforced(FieldModel field, Data.Model.EnforcedForeignKeys? foreignKeys)
        => field.Related is { } target
            && foreignKeys?.Enforces(field.Collection.Name, field.Name, target.Name, target.PrimaryKey.Name) == true;

    /// <summary>
    /// The properties to read for a selection of <paramref name="collection"/>: its key and the column of every
    /// selected field (a scalar, or a many-to-one field's foreign key), sorted so that equal selections give equal keys.
    /// </summary>
    public static IReadOnlyList<string> ColumnsOf(CollectionModel collection, IEnumerable<FieldModel?> selected)
    {
        var columns = new SortedSet<string>(StringComparer.Ordinal) { collection.PrimaryKey.Property!.Name };
        foreach (var field in selected)
        {
            if (field?.Property is { } property)
            {
                columns.Add(property.Name);
            }
        }

        return [.. columns];
    }
}
