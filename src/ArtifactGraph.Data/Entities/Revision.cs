namespace ArtifactGraph.Data.Entities;

/// <summary>
/// The data of one recorded create or update (table <c>directus_revisions</c>): <see cref="Data"/> the item (a create's
/// payload, an update's item after it), <see cref="Delta"/> the fields written, <see cref="Parent"/> the revision of the
/// item whose nested write caused it. Directus's <c>version</c> column (content versions) is not mapped.
/// </summary>
public sealed class Revision
{
    public int Id { get; set; }
    public int Activity { get; set; }
    public string Collection { get; set; } = "";
    public string Item { get; set; } = "";
    public string? Data { get; set; }
    public string? Delta { get; set; }
    public int? Parent { get; set; }

    public ActivityEntry? ActivityRef { get; set; }
    public Revision? ParentRef { get; set; }
}
