using System.Globalization;
using System.Text;
using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Entities;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Directus.Write;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// <c>POST /files</c>: Directus's multipart upload. Text fields apply to the next file part; each file streams to
/// storage under <c>&lt;id&gt;.&lt;ext&gt;</c> (never the caller's name), limited by <c>MAX_FILE_SIZE</c>; the rows are
/// written together once every part has arrived, and a failed request leaves neither rows nor bytes behind.
/// </summary>
internal static class FileEndpoints
{
    private const string Collection = "directus_files";
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/files", UploadAsync);
        app.MapPatch("/files/{id}", UpdateAsync);
        app.MapDelete("/files/{id}", DeleteAsync);
    }

    /// <summary><c>PATCH /files/:id</c> with a JSON body: the file's metadata, through the item writer (permissions, rules).</summary>
    private static async Task UpdateAsync(
        HttpContext context, string id, RequestAuthenticator authenticator, ItemWriter writer, ItemReader reader, DirectusModel model,
        ServerSettings settings)
    {
        try
        {
            var (who, collection, key) = await TargetAsync(context, id, authenticator, model);
            if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
                || !mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                throw DirectusException.InvalidPayload("PATCH /files/:id takes a JSON body; replacing a file's contents is not supported");
            }

            var body = await RequestBodyReader.ReadAsync(context.Request, settings.MaxPayloadSize, context.RequestAborted);
            var data = JsonBody.ReadObject(body);
            var updated = await writer.UpdateAsync(collection, [(key, data)], who, context.RequestAborted);
            if (updated.Count == 0)
            {
                throw DirectusException.Forbidden();
            }

            await AnswerAsync(context, reader, collection, who, updated);
        }
        catch (DirectusException error)
        {
            await DirectusErrorResponder.WriteAsync(context, error);
        }
    }

    /// <summary>
    /// <c>DELETE /files/:id</c>: the row through the item writer (its delete rules may refuse, and then the bytes stay),
    /// then the bytes.
    /// </summary>
    private static async Task DeleteAsync(
        HttpContext context, string id, RequestAuthenticator authenticator, ItemWriter writer, DirectusModel model,
        IDbContextFactory<ArtifactGraphDbContext> contexts, IFileStorageLocations locations)
    {
        try
        {
            var (who, collection, key) = await TargetAsync(context, id, authenticator, model);
            string? filenameDisk;
            string? storage;
            await using (var db = await contexts.CreateDbContextAsync(context.RequestAborted))
            {
                var file = await db.Files.AsNoTracking().FirstOrDefaultAsync(f => f.Id == (Guid)key, context.RequestAborted)
                    ?? throw DirectusException.Forbidden();
                filenameDisk = file.FilenameDisk;
                storage = file.Storage;
            }

            await writer.DeleteAsync(collection, [key], who, context.RequestAborted);
            if (filenameDisk is not null && StorageFileName.IsValid(filenameDisk) && locations.Find(storage) is { } location)
            {
                await location.DeleteAsync(filenameDisk, CancellationToken.None);
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        catch (DirectusException error)
        {
            await DirectusErrorResponder.WriteAsync(context, error);
        }
    }

    private static async Task UploadAsync(
        HttpContext context, RequestAuthenticator authenticator, IDbContextFactory<ArtifactGraphDbContext> contexts, ItemReader reader,
        DirectusModel model, IFileStorageLocations locations, ServerSettings settings, TimeProvider clock)
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
            if (who.Access.For(Collection, "create") is null)
            {
                throw DirectusException.Forbidden();
            }

            var boundary = Boundary(context.Request.ContentType);
            await using var db = await contexts.CreateDbContextAsync(context.RequestAborted);
            var files = await ReceiveAsync(context, boundary, who, db, locations, settings, clock, saved);
            db.Files.AddRange(files);
            await db.SaveChangesAsync(context.RequestAborted);
            saved.Clear();

            await AnswerAsync(context, reader, model[Collection], who, files.Select(f => (object)f.Id).ToList());
        }
        catch (DirectusException error)
        {
            await DirectusErrorResponder.WriteAsync(context, error);
        }
        finally
        {
            foreach (var (storage, name) in saved)
            {
                await storage.DeleteAsync(name, CancellationToken.None);
            }
        }
    }

    /// <summary>The caller, and the key of the file a <c>/files/:id</c> route names (403 when it is not a file key).</summary>
    private static async Task<(Accountability Who, CollectionModel Collection, object Key)> TargetAsync(
        HttpContext context, string id, RequestAuthenticator authenticator, DirectusModel model)
    {
        var who = await authenticator.AuthenticateAsync(context.Request, context.RequestAborted);
        var collection = model[Collection];
        return (who, collection, InputValues.ToKey(collection, id) ?? throw DirectusException.Forbidden());
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

    private static async Task<List<StoredFile>> ReceiveAsync(
        HttpContext context, string boundary, Accountability who, ArtifactGraphDbContext db, IFileStorageLocations locations,
        ServerSettings settings, TimeProvider clock, List<(IFileStorage Storage, string Name)> saved)
    {
        var cancellationToken = context.RequestAborted;
        var reader = new MultipartReader(boundary, context.Request.Body);
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        var files = new List<StoredFile>();
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
                    fields[name] = FieldValue(await ReadFieldAsync(section.Body, settings.MaxPayloadSize, cancellationToken));
                    continue;
                }

                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                if (string.IsNullOrEmpty(fileName))
                {
                    throw DirectusException.InvalidPayload("File is missing filename");
                }

                var file = await NewFileAsync(fileName, section.ContentType, fields, who, db, locations, clock, cancellationToken);
                fields.Clear();

                var storage = locations.Find(file.Storage)!;
                saved.Add((storage, file.FilenameDisk!));
                var body = new SizeLimitedStream(section.Body, settings.MaxFileSize);
                await storage.SaveAsync(file.FilenameDisk!, body, cancellationToken);
                file.Filesize = body.Length;
                if (ImageMetadata.Supports(file.Type)
                    && await ImageMetadata.ReadAsync(storage, file.FilenameDisk!, file.Type!, settings.FileMetadataAllowList, cancellationToken) is { } image)
                {
                    Apply(file, image);
                }

                files.Add(file);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException && !cancellationToken.IsCancellationRequested)
        {
            throw DirectusException.InvalidPayload("The multipart/form-data body is malformed");
        }

        return files.Count == 0 ? throw DirectusException.InvalidPayload("No files were included in the body") : files;
    }

    /// <summary>Directus's <c>extractMetadata</c>: what the upload's own fields set stays.</summary>
    private static void Apply(StoredFile file, ImageMetadata image)
    {
        file.Width = image.Width;
        file.Height = image.Height;
        file.Metadata ??= image.Metadata.ToJsonString();
        file.Description ??= image.Description;
        file.Tags ??= image.Tags?.ToJsonString();
    }

    private static async Task<string> ReadFieldAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await new SizeLimitedStream(body, limit).CopyToAsync(buffer, cancellationToken);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Directus's multipart field values: "null", "true" and "false" (trimmed) are null, true and false.</summary>
    private static string? FieldValue(string text) => text.Trim() == "null" ? null : text;

    private static async Task<StoredFile> NewFileAsync(
        string uploadName, string? partType, IReadOnlyDictionary<string, string?> fields, Accountability who,
        ArtifactGraphDbContext db, IFileStorageLocations locations, TimeProvider clock, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var download = UploadFileName.Download(uploadName);
        var extension = UploadFileName.Extension(download);
        var now = clock.GetUtcNow().UtcDateTime;
        var file = new StoredFile
        {
            Id = id,
            Storage = locations.Default,
            FilenameDisk = extension.Length == 0 ? id.ToString() : $"{id}.{extension}",
            FilenameDownload = download,
            Title = UploadFileName.Title(download),
            Type = !string.IsNullOrWhiteSpace(partType) && MediaTypeHeaderValue.TryParse(partType, out var type) ? type.MediaType.Value
                : ContentTypes.TryGetContentType(download, out var guessed) ? guessed : "application/octet-stream",
            UploadedBy = who.UserId,
            UploadedOn = now,
            CreatedOn = now,
            ModifiedOn = now,
        };

        foreach (var (field, value) in fields)
        {
            switch (field)
            {
                case "title": file.Title = value; break;
                case "description": file.Description = value; break;
                case "location": file.Location = value; break;
                case "charset": file.Charset = value; break;
                case "filename_download": file.FilenameDownload = value is null ? download : UploadFileName.Download(value); break;
                case "tags": file.Tags = Tags(value); break;
                case "focal_point_x": file.FocalPointX = Integer(field, value); break;
                case "focal_point_y": file.FocalPointY = Integer(field, value); break;
                case "folder": file.Folder = await FolderAsync(value, db, cancellationToken); break;
                case "storage":
                    file.Storage = value is not null && locations.Find(value) is not null ? value
                        : throw DirectusException.InvalidPayload($"Storage \"{value}\" doesn't exist");
                    break;
                default: break; // the file's own values (id, filesize, uploaded_by …) are not the caller's to set
            }
        }

        return file;
    }

    private static int? Integer(string field, string? value)
        => value is null ? null
            : int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number
            : throw DirectusException.InvalidPayload($"\"{field}\" must be a whole number");

    private static string? Tags(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value.TrimStart().StartsWith('['))
        {
            try
            {
                return JsonSerializer.Deserialize<string[]>(value) is { } array ? JsonSerializer.Serialize(array) : null;
            }
            catch (JsonException)
            {
                throw DirectusException.InvalidPayload("\"tags\" must be a JSON array of strings or a comma-separated list");
            }
        }

        return JsonSerializer.Serialize(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static async Task<Guid?> FolderAsync(string? value, ArtifactGraphDbContext db, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            return null;
        }

        return Guid.TryParse(value.Trim(), out var folder) && await db.Folders.AnyAsync(f => f.Id == folder, cancellationToken)
            ? folder
            : throw DirectusException.InvalidForeignKey(Collection, "folder", value);
    }

    /// <summary>
    /// The rows as the caller may read them, read back like any item (permissions apply): <c>{ "data": row }</c> for one,
    /// an array for several; 204 when the caller may not read what it wrote.
    /// </summary>
    private static async Task AnswerAsync(HttpContext context, ItemReader reader, CollectionModel collection, Accountability who, IReadOnlyList<object> keys)
    {
        var read = who.Access.Can(collection, "read")
            ? await reader.ReadKeysAsync(collection, keys, QueryArgs.None, who.Access, context.RequestAborted)
            : [];
        var rows = read.OrderBy(r => keys.ToList().IndexOf(collection.PrimaryKey.Getter(r)!)).ToList(); // in upload order
        if (rows.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        // Rendered into memory (a few rows), then sent: the JSON writer flushes synchronously, which Kestrel refuses.
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WritePropertyName("data");
            if (keys.Count == 1)
            {
                ItemJson.Write(json, collection, rows[0]);
            }
            else
            {
                json.WriteStartArray();
                foreach (var row in rows)
                {
                    ItemJson.Write(json, collection, row);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }
}
