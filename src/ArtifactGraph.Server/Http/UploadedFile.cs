using ArtifactGraph.Data.Entities;
using ArtifactGraph.Server.Storage;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// What the server decides about one uploaded file, never the caller: its key and name on disk, where the bytes went,
/// their size, type, image dimensions and metadata, who uploaded it and when; a download name and a title from the uploaded name
/// unless the caller (or a preset) gave them.
/// </summary>
internal sealed class UploadedFile(string uploadName, string? partType, string storage, Guid? uploadedBy, DateTime now)
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public Guid Id { get; } = Guid.NewGuid();

    public string Storage { get; } = storage;

    public string DownloadName { get; } = UploadFileName.Download(uploadName);

    public string FilenameDisk => UploadFileName.Extension(DownloadName) is { Length: > 0 } extension ? $"{Id}.{extension}" : Id.ToString();

    public long Filesize { get; set; }

    /// <summary>What an image upload's bytes say (dimensions, EXIF/IPTC metadata); null for other files.</summary>
    public ImageMetadata? Image { get; set; }

    /// <summary>The part's content type, else guessed from the extension.</summary>
    public string Type => !string.IsNullOrWhiteSpace(partType) && MediaTypeHeaderValue.TryParse(partType, out var type) ? type.MediaType.Value!
        : ContentTypes.TryGetContentType(DownloadName, out var guessed) ? guessed : "application/octet-stream";

    /// <summary>Sets these values on the new row (a <see cref="StoredFile"/>), after the caller's payload and presets.</summary>
    public void SetOn(object entity)
    {
        var file = (StoredFile)entity;
        file.Id = Id;
        file.Storage = Storage;
        file.FilenameDisk = FilenameDisk;
        file.FilenameDownload = string.IsNullOrEmpty(file.FilenameDownload) ? DownloadName : file.FilenameDownload;
        file.Title = string.IsNullOrEmpty(file.Title) ? UploadFileName.Title(DownloadName) : file.Title;
        file.Type = Type;
        file.Filesize = Filesize;
        file.Width = Image?.Width;
        file.Height = Image?.Height;

        // Directus's extractMetadata: what the upload's own fields (or presets) set stays.
        file.Metadata ??= Image?.Metadata.ToJsonString();
        file.Description ??= Image?.Description;
        file.Tags ??= Image?.Tags?.ToJsonString();
        file.UploadedBy = uploadedBy;
        file.UploadedOn = now;
        file.CreatedOn = now;
        file.ModifiedOn = now;
    }
}
