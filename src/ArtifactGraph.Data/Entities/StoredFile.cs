namespace ArtifactGraph.Data.Entities;

/// <summary>A file's metadata row (table <c>directus_files</c>); the bytes live in storage.</summary>
public sealed class StoredFile
{
    public Guid Id { get; set; }
    public string Storage { get; set; } = "local";
    public string? FilenameDisk { get; set; }
    public string FilenameDownload { get; set; } = "";
    public string? Title { get; set; }
    public string? Type { get; set; }
    public Guid? Folder { get; set; }
    public Guid? UploadedBy { get; set; }
    public DateTime CreatedOn { get; set; }
    public Guid? ModifiedBy { get; set; }
    public DateTime ModifiedOn { get; set; }
    public string? Charset { get; set; }
    public long? Filesize { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public int? Duration { get; set; }
    public string? Embed { get; set; }
    public string? Description { get; set; }
    public string? Location { get; set; }
    public string? Tags { get; set; }
    public string? Metadata { get; set; }
    public int? FocalPointX { get; set; }
    public int? FocalPointY { get; set; }
    public string? TusId { get; set; }
    public string? TusData { get; set; }
    public DateTime? UploadedOn { get; set; }

    public Folder? FolderRef { get; set; }
    public User? UploadedByUser { get; set; }
    public User? ModifiedByUser { get; set; }
}
