using System.Text.Json;

namespace ArtifactGraph.Bench.Seeding;

/// <summary>
/// Writes a generated data set as an import document (collection → rows, the shape of Directus's seed-data.json).
/// The files are uploaded by the oracle administrator, imported before it. Deterministic: same size, same rows.
/// </summary>
public static class SeedWriter
{
    public const string AdminUserId = "0a000000-0000-4000-8000-000000000001";

    private static readonly string[] Kinds = ["spec", "design", "budget", "test", "ops"];
    private static readonly string[] TaskStatuses = ["todo", "in_progress", "done"];
    private static readonly DateTime Epoch = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <returns>The number of rows written per collection, in document order.</returns>
    public static async Task<IReadOnlyList<KeyValuePair<string, int>>> WriteAsync(string path, SeedShape shape, CancellationToken cancellationToken)
    {
        var counts = new List<KeyValuePair<string, int>>();
        await using var stream = File.Create(path);
        await using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        await CollectionAsync(json, stream, "projects", shape.Projects, counts, i => WriteProject(json, i), cancellationToken);
        await CollectionAsync(json, stream, "directus_files", shape.Files, counts, i => WriteFile(json, i), cancellationToken);
        await CollectionAsync(json, stream, "tasks", shape.Tasks, counts, i => WriteTask(json, shape, i), cancellationToken);
        await CollectionAsync(json, stream, "artifact_versions", shape.Versions, counts, i => WriteVersion(json, shape, i), cancellationToken);

        var junction = 0;
        await CollectionAsync(json, stream, "artifact_files", shape.Versions, counts, v =>
        {
            for (var k = 0; k < SeedShape.FilesOf(v); k++)
            {
                WriteLink(json, ++junction, ("artifact_version_id", SeedShape.VersionId(v)), ("directus_files_id", SeedShape.FileId((v + k) % shape.Files)), k + 1);
            }

            return SeedShape.FilesOf(v);
        }, cancellationToken);

        var link = 0;
        await CollectionAsync(json, stream, "task_artifacts", shape.Tasks, counts, t =>
        {
            for (var k = 0; k < shape.LinksOf(t); k++)
            {
                WriteLink(json, ++link, ("task_id", SeedShape.TaskId(t)), ("artifact_version_id", SeedShape.VersionId(SeedShape.FirstVersion(t) + k)), k + 1);
            }

            return shape.LinksOf(t);
        }, cancellationToken);

        var approval = 0;
        await CollectionAsync(json, stream, "artifact_approvals", shape.Versions, counts, v =>
        {
            if (!shape.WasApproved(v))
            {
                return 0;
            }

            json.WriteStartObject();
            json.WriteNumber("id", ++approval);
            json.WriteString("artifact_version_id", SeedShape.VersionId(v));
            json.WriteString("project_id", SeedShape.ProjectId(shape.ProjectOf(SeedShape.PathOf(v).Path)));
            json.WriteString("approved_at", Epoch.AddMinutes(v + 1));
            json.WriteNumber("context_version", 0);
            json.WriteEndObject();
            return 1;
        }, cancellationToken);

        json.WriteEndObject();
        return counts;
    }

    // Writes "name": [ rows… ], where each call of write(i) writes the rows for i and says how many; flushes as it goes.
    private static async Task CollectionAsync(
        Utf8JsonWriter json, Stream stream, string name, int count, List<KeyValuePair<string, int>> counts, Func<int, int> write, CancellationToken cancellationToken)
    {
        json.WritePropertyName(name);
        json.WriteStartArray();
        var rows = 0;
        for (var i = 0; i < count; i++)
        {
            rows += write(i);
            if (json.BytesPending > 64 * 1024)
            {
                await json.FlushAsync(cancellationToken);
            }
        }

        json.WriteEndArray();
        await json.FlushAsync(cancellationToken);
        await stream.FlushAsync(cancellationToken);
        counts.Add(KeyValuePair.Create(name, rows));
    }

    // A junction row: serial id, the parent's key, the linked row's key, and its position.
    private static void WriteLink(Utf8JsonWriter json, int id, (string Column, string Id) parent, (string Column, string Id) linked, int sort)
    {
        json.WriteStartObject();
        json.WriteNumber("id", id);
        json.WriteString(parent.Column, parent.Id);
        json.WriteString(linked.Column, linked.Id);
        json.WriteNumber("sort", sort);
        json.WriteEndObject();
    }

    private static int WriteProject(Utf8JsonWriter json, int i)
    {
        json.WriteStartObject();
        json.WriteString("id", SeedShape.ProjectId(i));
        json.WriteString("date_created", Epoch.AddDays(-i));
        json.WriteString("name", $"Project {i}");
        json.WriteStartObject("context");
        json.WriteString("phase", "design");
        json.WriteEndObject();
        json.WriteNumber("context_version", 0);
        json.WriteEndObject();
        return 1;
    }

    private static int WriteFile(Utf8JsonWriter json, int i)
    {
        json.WriteStartObject();
        json.WriteString("id", SeedShape.FileId(i));
        json.WriteString("storage", "local");
        json.WriteString("filename_disk", SeedShape.FileId(i) + ".txt");
        json.WriteString("filename_download", $"document-{i}.txt");
        json.WriteString("title", $"Document {i}");
        json.WriteString("type", "text/plain");
        json.WriteString("uploaded_by", AdminUserId);
        json.WriteString("created_on", Epoch.AddMinutes(i));
        json.WriteString("modified_on", Epoch.AddMinutes(i));
        json.WriteString("uploaded_on", Epoch.AddMinutes(i));
        json.WriteNumber("filesize", 100 + (i % 900));
        json.WriteEndObject();
        return 1;
    }

    private static int WriteTask(Utf8JsonWriter json, SeedShape shape, int i)
    {
        json.WriteStartObject();
        json.WriteString("id", SeedShape.TaskId(i));
        json.WriteString("project_id", SeedShape.ProjectId(shape.ProjectOf(i)));
        json.WriteString("title", $"Task {i}: review {PathKey(i)}");
        json.WriteString("status", TaskStatuses[i % TaskStatuses.Length]);
        json.WriteEndObject();
        return 1;
    }

    private static int WriteVersion(Utf8JsonWriter json, SeedShape shape, int i)
    {
        var (path, position) = SeedShape.PathOf(i);
        json.WriteStartObject();
        json.WriteString("id", SeedShape.VersionId(i));
        json.WriteString("date_created", Epoch.AddMinutes(i));
        json.WriteString("project_id", SeedShape.ProjectId(shape.ProjectOf(path)));
        json.WriteString("schema_key", PathKey(path));
        json.WriteNumber("version", position + 1);
        json.WriteString("status", shape.Status(i));
        json.WriteStartObject("content");
        json.WriteString("title", $"Document {path}");
        json.WriteNumber("score", i % 10);
        json.WriteEndObject();
        if (SeedShape.HasPrimaryFile(i))
        {
            json.WriteString("primary_file_id", SeedShape.FileId(i));
        }
        else
        {
            json.WriteNull("primary_file_id");
        }

        json.WriteEndObject();
        return 1;
    }

    public static string PathKey(int path) => $"{Kinds[path % Kinds.Length]}/doc-{path}";
}
