namespace ArtifactGraph.Data.Entities;

/// <summary>A folder of files (table <c>directus_folders</c>).</summary>
public sealed class Folder
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public Guid? Parent { get; set; }

    public Folder? ParentFolder { get; set; }
}
