using System.Text.Json.Nodes;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Gif;
using MetadataExtractor.Formats.Heif;
using MetadataExtractor.Formats.Iptc;
using MetadataExtractor.Formats.Jpeg;
using MetadataExtractor.Formats.Png;
using MetadataExtractor.Formats.WebP;

namespace ArtifactGraph.Server.Storage;

/// <summary>
/// What Directus reads from an uploaded image (<c>extractMetadata</c>, through sharp and exif-reader), read with
/// MetadataExtractor: width and height, swapped when the EXIF orientation turns the picture (5 to 8); <c>metadata</c>, the
/// EXIF values that <c>FILE_METADATA_ALLOW_LIST</c> keeps (<see cref="ExifTags"/>); and the IPTC caption and keywords,
/// which become the file's description and tags when the upload gives none.
/// </summary>
public sealed record ImageMetadata(int? Width, int? Height, JsonObject Metadata, string? Description, JsonNode? Tags)
{
    /// <summary>Directus's <c>SUPPORTED_IMAGE_METADATA_FORMATS</c>: only files of these types are read back.</summary>
    public static readonly IReadOnlyList<string> SupportedTypes = ["image/jpeg", "image/png", "image/webp", "image/gif", "image/tiff", "image/avif"];

    public static bool Supports(string? type) => type is not null && SupportedTypes.Contains(type, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Reads the stored bytes of an uploaded image back; null when there are none or they are not an image. MetadataExtractor
    /// needs to seek, so bytes that come as a stream that cannot (an S3 object) are read through a temporary file.
    /// </summary>
    public static async Task<ImageMetadata?> ReadAsync(
        IFileStorage storage, string filenameDisk, string type, IReadOnlyCollection<string> allowList, CancellationToken cancellationToken)
    {
        await using var stored = await storage.OpenReadAsync(filenameDisk, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        if (stored.CanSeek)
        {
            return Read(stored, type, allowList);
        }

        await using var copy = new FileStream(
            Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await stored.CopyToAsync(copy, cancellationToken);
        copy.Position = 0;
        return Read(copy, type, allowList);
    }

    /// <summary>
    /// The image's metadata, or null when its content cannot be read as an image (Directus then leaves width, height and
    /// metadata null). <paramref name="stream"/> must be seekable.
    /// </summary>
    public static ImageMetadata? Read(Stream stream, string type, IReadOnlyCollection<string> allowList)
    {
        IReadOnlyList<MetadataExtractor.Directory> directories;
        try
        {
            // MetadataExtractor 2.4 detects HEIF by its brands, not AVIF's: an AVIF is read as the HEIF it is.
            directories = type.Equals("image/avif", StringComparison.OrdinalIgnoreCase)
                ? HeifMetadataReader.ReadMetadata(stream)
                : ImageMetadataReader.ReadMetadata(stream);
        }
        catch (Exception ex) when (ex is ImageProcessingException or IOException or ArgumentException or InvalidOperationException)
        {
            return null;
        }

        if (Dimensions(directories) is not var (width, height))
        {
            return null;
        }

        if (directories.OfType<ExifIfd0Directory>().FirstOrDefault() is { } ifd0
            && ifd0.TryGetInt32(ExifDirectoryBase.TagOrientation, out var orientation) && orientation >= 5)
        {
            (width, height) = (height, width);
        }

        var iptc = directories.OfType<IptcDirectory>().FirstOrDefault();
        var caption = iptc?.GetString(IptcDirectory.TagCaption);
        var keywords = iptc?.GetStringArray(IptcDirectory.TagKeywords);
        return new ImageMetadata(
            width,
            height,
            ExifTags.Pick(directories, allowList),
            string.IsNullOrEmpty(caption) ? null : caption,
            keywords is { Length: > 0 } ? keywords.Length == 1 ? JsonValue.Create(keywords[0]) : new JsonArray([.. keywords.Select(k => JsonValue.Create(k))]) : null);
    }

    /// <summary>The stored pixel size, from the directory of the image's own format (a TIFF's is its first IFD).</summary>
    private static (int, int)? Dimensions(IReadOnlyList<MetadataExtractor.Directory> directories)
        => Size<JpegDirectory>(directories, JpegDirectory.TagImageWidth, JpegDirectory.TagImageHeight)
            ?? Size<PngDirectory>(directories, PngDirectory.TagImageWidth, PngDirectory.TagImageHeight)
            ?? Size<GifHeaderDirectory>(directories, GifHeaderDirectory.TagImageWidth, GifHeaderDirectory.TagImageHeight)
            ?? Size<WebPDirectory>(directories, WebPDirectory.TagImageWidth, WebPDirectory.TagImageHeight)
            ?? Size<HeicImagePropertiesDirectory>(directories, HeicImagePropertiesDirectory.TagImageWidth, HeicImagePropertiesDirectory.TagImageHeight)
            ?? Size<ExifIfd0Directory>(directories, ExifDirectoryBase.TagImageWidth, ExifDirectoryBase.TagImageHeight);

    private static (int, int)? Size<T>(IReadOnlyList<MetadataExtractor.Directory> directories, int widthTag, int heightTag)
        where T : MetadataExtractor.Directory
    {
        foreach (var directory in directories.OfType<T>())
        {
            if (directory.TryGetInt32(widthTag, out var width) && directory.TryGetInt32(heightTag, out var height) && width > 0 && height > 0)
            {
                return (width, height);
            }
        }

        return null;
    }
}
