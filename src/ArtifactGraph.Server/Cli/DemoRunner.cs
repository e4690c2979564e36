using System.Text.Json.Nodes;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Import;
using ArtifactGraph.Data.Migrations;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Promotion;
using ArtifactGraph.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ArtifactGraph.Server.Cli;

/// <summary>
/// What <c>demo</c> does: loads a small, realistic example into the configured database (a project with a JSON context,
/// its tasks, artifact versions of three paths with their files and primary files, links to the tasks), then promotes one
/// version the way <c>promoteArtifact</c> does, so the context, the approval and the superseding are real. The rows come
/// from <c>Demo/demo-data.json</c> and the bytes from <c>Demo/files/</c>, both built into the server. Loading it again
/// changes nothing.
/// </summary>
public static class DemoRunner
{
    public static readonly Guid ProjectId = Guid.Parse("de0a0000-0000-4000-8000-000000000001");

    /// <summary>spec/requirements version 2: promoted, so the context holds it and an approval records it.</summary>
    public static readonly Guid PromotedVersionId = Guid.Parse("de0d0000-0000-4000-8000-000000000002");

    public const string TryQuery =
        "{ tasks { title status project_id { name context context_version } artifacts { artifact_version_id "
        + "{ schema_key version status primary_file_id { filename_download } files { sort directus_files_id { filename_download type } } } } } }";

    public static async Task RunAsync(ServerSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        DatabaseMigrator.Migrate(settings.DbClient, settings.ConnectionString);
        var options = ArtifactGraphDbOptions.Create(settings.DbClient, settings.ConnectionString);
        await using var db = new ArtifactGraphDbContext(options);
        if (await db.Projects.AnyAsync(p => p.Id == ProjectId, cancellationToken))
        {
            await output.WriteLineAsync("The demo data is already loaded: nothing changed.");
            return;
        }

        var locations = FileStorageLocations.Create(settings);
        var document = await ReadDocumentAsync(locations.Default, cancellationToken);
        using (var rows = new MemoryStream(JsonSerializerUtf8(document)))
        {
            await JsonImporter.ImportAsync(db, rows, cancellationToken);
        }

        foreach (var file in document["directus_files"]!.AsArray())
        {
            await using var bytes = Resource($"files/{(string)file!["filename_download"]!}");
            await locations.DefaultStorage.SaveAsync((string)file["filename_disk"]!, bytes, cancellationToken);
        }

        var promoter = new ArtifactPromoter(new PooledDbContextFactory<ArtifactGraphDbContext>(options), TimeProvider.System);
        var promotion = await promoter.PromoteAsync(PromotedVersionId, ifMatch: 0, cancellationToken);

        await output.WriteLineAsync(
            $"Loaded the demo project \"Atlas mobile app\": {document["tasks"]!.AsArray().Count} tasks, "
            + $"{document["artifact_versions"]!.AsArray().Count} artifact versions of 3 paths, {document["directus_files"]!.AsArray().Count} files; "
            + $"promoted spec/requirements version 2 (context_version {promotion.Project.ContextVersion}).");
        await output.WriteLineAsync("Try this query in the IDE (/graphql), with the administrator's token:");
        await output.WriteLineAsync("    " + TryQuery);
    }

    /// <summary>The demo's rows, their files stored at the default storage location.</summary>
    private static async Task<JsonNode> ReadDocumentAsync(string storage, CancellationToken cancellationToken)
    {
        await using var json = Resource("demo-data.json");
        var document = (await JsonNode.ParseAsync(json, cancellationToken: cancellationToken))!;
        foreach (var file in document["directus_files"]!.AsArray())
        {
            file!["storage"] = storage;
        }

        return document;
    }

    private static byte[] JsonSerializerUtf8(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());

    private static Stream Resource(string name)
        => typeof(DemoRunner).Assembly.GetManifestResourceStream($"Demo/{name}")
           ?? throw new ImportException($"The demo resource '{name}' is missing from the server build.");
}
