using ArtifactGraph.Server.Errors;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace ArtifactGraph.Server.Http.Ide;

/// <summary>
/// The files of the npm package <c>@chillicream/bananacakepop-graphql-ide</c> that the build copies beside the server
/// (<c>ide/bananacakepop/</c>, with its LICENSE), served as they are. Hashed bundles under <c>static/</c> are cached for
/// a year; the rest is revalidated on every load.
/// </summary>
public sealed class IdeFiles
{
    public const string Folder = "ide/bananacakepop";

    private static readonly FileExtensionContentTypeProvider ContentTypes = CreateContentTypes();
    private readonly PhysicalFileProvider? provider;

    public IdeFiles()
        : this(Path.Combine(AppContext.BaseDirectory, Folder))
    {
    }

    public IdeFiles(string root)
    {
        Root = root;
        provider = File.Exists(Path.Combine(root, "index.html")) ? new PhysicalFileProvider(root) : null;
    }

    public string Root { get; }

    /// <summary>False when the server was built without npm (no IDE files beside it).</summary>
    public bool Available => provider is not null;

    public Task SendAsync(HttpContext context, string relativePath)
    {
        var file = provider?.GetFileInfo(relativePath);
        if (file is not { Exists: true, IsDirectory: false, PhysicalPath: not null })
        {
            return DirectusErrorResponder.WriteAsync(context, DirectusErrors.RouteNotFound(context.Request.Path));
        }

        if (!ContentTypes.TryGetContentType(file.Name, out var contentType))
        {
            contentType = "text/plain; charset=utf-8";
        }

        context.Response.Headers.CacheControl = relativePath.StartsWith("static/", StringComparison.Ordinal)
            ? "public, max-age=31536000, immutable"
            : "no-cache";
        var tag = new EntityTagHeaderValue($"\"{file.LastModified.UtcTicks:x}-{file.Length:x}\"");
        return TypedResults.PhysicalFile(file.PhysicalPath, contentType, lastModified: file.LastModified, entityTag: tag).ExecuteAsync(context);
    }

    private static FileExtensionContentTypeProvider CreateContentTypes()
    {
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".webmanifest"] = "application/manifest+json";
        provider.Mappings[".woff2"] = "font/woff2";
        provider.Mappings[".ttf"] = "font/ttf";
        provider.Mappings[".js"] = "text/javascript; charset=utf-8";
        provider.Mappings[".html"] = "text/html; charset=utf-8";
        provider.Mappings[".txt"] = "text/plain; charset=utf-8";
        return provider;
    }
}
