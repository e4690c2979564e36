using System.Text;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Directus.Write;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// <c>POST /files</c>: Directus's multipart upload. Text fields apply to the next file part; each file streams to storage
/// under <c>&lt;id&gt;.&lt;ext&gt;</c> (never the caller's name), limited by <c>MAX_FILE_SIZE</c>. Then the rows are created
/// through the item writer in one transaction, like any item: the caller's fields must be allowed by the permission's
/// fields and pass its validation, its presets fill what the caller left out, and text too long for its column is
/// <c>VALUE_TOO_LONG</c>. A failed request leaves neither rows nor bytes behind.
/// </summary>
internal static class FileUploadEndpoint
{
    public static async Task UploadAsync(
        HttpContext context, RequestAuthenticator authenticator, ItemWriter writer, ItemReader reader, DirectusModel model,
        IFileStorageLocations locations, ServerSettings settings, TimeProvider clock)
    {
        // Uploads are bound by MAX_FILE_SIZE per file, not by Kestrel's default request body limit (30 MB).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = null;
        }

        var saved = new List<(IFileStorage Storage, string Name)>();
        try
        {
            var who = await authenticator.AuthenticateAsync(context.Request, context.RequestAborted);
            var collection = model[FileEndpoints.Collection];

            // Refused before a byte is stored; the writer applies the whole permission to each row.
            var permission = who.Access.For(collection.Name, "create") ?? throw DirectusException.Forbidden();
            var upload = new Upload(who, permission.Presets, locations, settings, clock.GetUtcNow().UtcDateTime, saved);
            var items = await upload.ReceiveAsync(context.Request, Boundary(context.Request.ContentType), context.RequestAborted);
            var keys = await writer.CreateAsync(collection, items, who, context.RequestAborted);
            saved.Clear();

            await FileEndpoints.AnswerAsync(context, reader, collection, who, keys);
        }
        catch (DirectusException error)
        {
            // The bytes go before the answer does: a client that sees the refusal finds nothing left behind.
            await DeleteAsync(saved);
            await DirectusErrorResponder.WriteAsync(context, error);
        }
        finally
        {
            await DeleteAsync(saved);
        }
    }

    // What Directus's upload records in the revision besides the form fields: its create payload (the metadata it sets
    // afterwards, size and dimensions, goes unrecorded).
    private static readonly IReadOnlyList<string> RecordedFields = ["storage", "filename_download", "type"];

    private static async Task DeleteAsync(List<(IFileStorage Storage, string Name)> saved)
    {
        foreach (var (storage, name) in saved)
        {
            await storage.DeleteAsync(name, CancellationToken.None);
        }

        saved.Clear();
    }

    private static string Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw DirectusException.InvalidPayload("Uploads must be sent as multipart/form-data");
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        return string.IsNullOrWhiteSpace(boundary) || boundary.Length > 70
            ? throw DirectusException.InvalidPayload("The multipart/form-data body has no valid boundary")
            : boundary;
    }

    /// <summary>One request's parts: each file part's bytes stored (and listed in <c>saved</c>), its row's payload kept.</summary>
    private sealed class Upload(
        Accountability who, IReadOnlyDictionary<string, object?>? presets, IFileStorageLocations locations, ServerSettings settings,
        DateTime now, List<(IFileStorage Storage, string Name)> saved)
    {
        public async Task<List<NewItem>> ReceiveAsync(HttpRequest request, string boundary, CancellationToken cancellationToken)
        {
            var reader = new MultipartReader(boundary, request.Body);
            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            var items = new List<NewItem>();
            try
            {
                while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
                {
                    if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                        || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    {
                        throw DirectusException.InvalidPayload("Every part of the body must be form-data");
                    }

                    var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                    if (!disposition.IsFileDisposition())
                    {
                        fields[name] = UploadFields.Value(await ReadFieldAsync(section.Body, cancellationToken));
                        continue;
                    }

                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    if (string.IsNullOrEmpty(fileName))
                    {
                        throw DirectusException.InvalidPayload("File is missing filename");
                    }

                    var payload = UploadFields.Payload(fields, locations);
                    fields.Clear();
                    var file = await StoreAsync(fileName, section, StorageOf(payload), cancellationToken);
                    items.Add(new NewItem(payload, file.SetOn, RecordedFields));
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException && !cancellationToken.IsCancellationRequested)
            {
                throw DirectusException.InvalidPayload("The multipart/form-data body is malformed");
            }

            return items.Count == 0 ? throw DirectusException.InvalidPayload("No files were included in the body") : items;
        }

        /// <summary>The caller's <c>storage</c> field, else the permission's preset, else the first location.</summary>
        private string StorageOf(IReadOnlyDictionary<string, object?> payload)
            => payload.GetValueOrDefault("storage") as string ?? presets?.GetValueOrDefault("storage") as string ?? locations.Default;

        private async Task<UploadedFile> StoreAsync(string fileName, MultipartSection section, string storageName, CancellationToken cancellationToken)
        {
            var storage = locations.Find(storageName) ?? throw DirectusException.InvalidPayload($"Storage \"{storageName}\" doesn't exist");
            var file = new UploadedFile(fileName, section.ContentType, storageName, who.UserId, now);
            saved.Add((storage, file.FilenameDisk));
            var body = new SizeLimitedStream(section.Body, settings.MaxFileSize);
            await storage.SaveAsync(file.FilenameDisk, body, cancellationToken);
            file.Filesize = body.Length;
            if (ImageMetadata.Supports(file.Type))
            {
                file.Image = await ImageMetadata.ReadAsync(storage, file.FilenameDisk, file.Type, settings.FileMetadataAllowList, cancellationToken);
            }

            return file;
        }

        private async Task<string> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
        {
            using var buffer = new MemoryStream();
            await new SizeLimitedStream(body, settings.MaxPayloadSize).CopyToAsync(buffer, cancellationToken);
            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }
}
