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
}
