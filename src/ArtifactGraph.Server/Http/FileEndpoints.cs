using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Directus.Write;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// The <c>/files</c> routes: <c>POST</c> (see <see cref="FileUploadEndpoint"/>), and <c>PATCH</c>/<c>DELETE</c> of one file,
/// all through the item writer.
/// </summary>
internal static class FileEndpoints
{
    public const string Collection = "directus_files";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/files", FileUploadEndpoint.UploadAsync);
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

    /// <summary>The caller, and the key of the file a <c>/files/:id</c> route names (403 when it is not a file key).</summary>
    private static async Task<(Accountability Who, CollectionModel Collection, object Key)> TargetAsync(
        HttpContext context, string id, RequestAuthenticator authenticator, DirectusModel model)
    {
        var who = await authenticator.AuthenticateAsync(context.Request, context.RequestAborted);
        var collection = model[Collection];
        return (who, collection, InputValues.ToKey(collection, id) ?? throw DirectusException.Forbidden());
    }

    /// <summary>
    /// The rows as the caller may read them, read back like any written item (permissions and the request's <c>fields</c>
    /// apply): <c>{ "data": row }</c> for one, an array for several; 204 when the caller may not read what it wrote.
    /// </summary>
    public static Task AnswerAsync(HttpContext context, ItemReader reader, CollectionModel collection, Accountability who, IReadOnlyList<object> keys)
        => Rest.RestHandler.AnswerWrittenAsync(context, reader, collection, who, keys, many: keys.Count != 1);
}
