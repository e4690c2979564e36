using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ArtifactGraph.Data.Entities;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Storage;
using Microsoft.Net.Http.Headers;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// Directus's <c>GET /assets/:id[/:filename]</c>: the bytes of a <c>directus_files</c> row the caller may read,
/// streamed from storage, with Directus's headers, conditional requests and single byte ranges. Image
/// transformations are not implemented: their query parameters are ignored and the original bytes are served.
/// </summary>
internal static partial class AssetEndpoints
{
    /// <summary>Directus's default <c>ASSETS_CACHE_TTL</c> (30 days), in seconds.</summary>
    private const int CacheTtlSeconds = 30 * 24 * 60 * 60;

    public static void Map(IEndpointRouteBuilder app)
    {
        string[] methods = ["GET", "HEAD"];
        app.MapMethods("/assets/{id}", methods, (HttpContext context, string id) => ServeAsync(context, id, null));
        app.MapMethods("/assets/{id}/{filename}", methods, (HttpContext context, string id, string filename) => ServeAsync(context, id, filename));
    }

    private static async Task<IResult> ServeAsync(HttpContext context, string segment, string? filename)
    {
        var services = context.RequestServices;
        var cancellationToken = context.RequestAborted;
        var accountability = await services.GetRequiredService<RequestAuthenticator>().AuthenticateAsync(context.Request, cancellationToken);

        // Directus takes the first 36 characters of the segment as the id; anything but a UUID is forbidden.
        if (!Guid.TryParseExact(segment.Length > 36 ? segment[..36] : segment, "D", out var id))
        {
            throw DirectusException.Forbidden();
        }

        var file = await ReadFileAsync(services, accountability, id, cancellationToken);
        if (file?.FilenameDisk is not { Length: > 0 } filenameDisk)
        {
            throw DirectusException.Forbidden();
        }

        Stream? content;
        try
        {
            var storage = services.GetRequiredService<IFileStorageLocations>().Find(file.Storage);
            content = storage is null ? null : await storage.OpenReadAsync(filenameDisk, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // A storage key that cannot be opened is a missing blob to the caller; never show where it was looked for.
            content = null;
        }

        if (content is null)
        {
            throw DirectusException.Forbidden();
        }

        try
        {
            var range = ParseRange(context.Request.Headers.Range.ToString());
            if (range is not null && content.CanSeek && !IsSatisfiable(range.Value, content.Length))
            {
                throw RangeNotSatisfiable(range.Value);
            }
        }
        catch
        {
            await content.DisposeAsync();
            throw;
        }

        var lastModified = new DateTimeOffset(DateTime.SpecifyKind(file.ModifiedOn, DateTimeKind.Utc));
        var headers = context.Response.Headers;
        headers.ContentDisposition = ContentDisposition(context.Request.Query.ContainsKey("download") ? "attachment" : "inline",
            string.IsNullOrEmpty(filename) ? file.FilenameDownload : filename);
        headers.CacheControl = $"{(accountability.RoleId is null ? "public" : "private")}, max-age={CacheTtlSeconds}";
        headers.Append(HeaderNames.Vary, "Origin, Cache-Control");
        headers.ContentSecurityPolicy = "default-src 'none'";

        // Range, If-None-Match, If-Modified-Since, If-Range, HEAD, Accept-Ranges and Content-Length are handled by the
        // stream result; the range header was checked above with Directus's rules.
        return Results.Stream(content, string.IsNullOrEmpty(file.Type) ? "application/octet-stream" : file.Type, null, lastModified,
            EntityTag(file, content), enableRangeProcessing: true);
    }

    private static async Task<StoredFile?> ReadFileAsync(IServiceProvider services, Accountability accountability, Guid id, CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<DirectusModel>().TryGet("directus_files", out var files) || !accountability.Access.Can(files, "read"))
        {
            return null;
        }

        // The item filter of the caller's read permission applies, as on every other read.
        var rows = await services.GetRequiredService<ItemReader>()
            .ReadWhereInAsync(files, files.PrimaryKey, [id], QueryArgs.None, null, accountability.Access, cancellationToken);
        return rows.Count == 1 ? rows[0] as StoredFile : null;
    }

    /// <summary>Directus's parse: <c>bytes=&lt;start&gt;-&lt;end&gt;</c>, either side optional; anything else is no range.</summary>
    internal static (long? Start, long? End)? ParseRange(string header)
    {
        var match = RangePattern().Match(header);
        if (!match.Success)
        {
            return null;
        }

        static long? Number(Group group) => group.Length == 0 ? null
            : long.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : long.MaxValue;
        return (Number(match.Groups[1]), Number(match.Groups[2]));
    }

    /// <summary>Directus's checks: some limit, end after start, start inside the file, end above zero.</summary>
    internal static bool IsSatisfiable((long? Start, long? End) range, long size)
        => !(range is { Start: null, End: null }
            || (range.Start is { } start && range.End is { } end && end <= start)
            || range.Start >= size
            || range.End <= 0);

    private static DirectusException RangeNotSatisfiable((long? Start, long? End) range)
    {
        var limits = new Dictionary<string, object?>();
        if (range.Start is { } start)
        {
            limits["start"] = start;
        }

        if (range.End is { } end)
        {
            limits["end"] = end;
        }

        return new DirectusException("RANGE_NOT_SATISFIABLE",
            $"Range \"{range.Start}-{range.End}\" is invalid or the file's size doesn't match the requested range.", 416,
            new Dictionary<string, object?> { ["range"] = limits });
    }

    /// <summary>A strong tag of the row's identity, modification time and size: it changes whenever the bytes are replaced.</summary>
    private static EntityTagHeaderValue EntityTag(StoredFile file, Stream content)
    {
        var size = content.CanSeek ? content.Length : file.Filesize ?? -1;
        var source = $"{file.Id:N}:{file.ModifiedOn.Ticks}:{size}:{file.FilenameDisk}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)).AsSpan(0, 12));
        return new EntityTagHeaderValue($"\"{hash}\"");
    }

    /// <summary>
    /// As the <c>content-disposition</c> package writes it: a quoted ASCII <c>filename</c>, plus an RFC 5987
    /// <c>filename*</c> when the name is not plain printable ASCII (the plain name then has <c>?</c> for those characters).
    /// </summary>
    internal static string ContentDisposition(string type, string name)
    {
        var fallback = new StringBuilder(name.Length);
        var plain = true;
        foreach (var c in name)
        {
            var printable = c is >= ' ' and <= '~';
            plain &= printable;
            fallback.Append(printable ? c : '?');
        }

        var quoted = fallback.ToString().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        var value = $"{type}; filename=\"{quoted}\"";
        return plain ? value : $"{value}; filename*=UTF-8''{Rfc5987(name)}";
    }

    private static string Rfc5987(string name)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '&' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~')
            {
                encoded.Append(c);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    [GeneratedRegex(@"bytes=([0-9]*)-([0-9]*)", RegexOptions.CultureInvariant)]
    private static partial Regex RangePattern();
}
