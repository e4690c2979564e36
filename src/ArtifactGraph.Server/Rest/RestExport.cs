using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Http;
using ArtifactGraph.Server.Items;

namespace ArtifactGraph.Server.Rest;

/// <summary>
/// <c>export=json|csv|csv_utf8|xml|yaml</c>: the list as a download named as Directus names it (<c>"&lt;collection&gt; &lt;yyyyMMdd-Hms&gt;.&lt;ext&gt;"</c>, 9:05:04 as <c>954</c>).
/// JSON indented by tabs, as Directus's <c>JSON.stringify(data, null, '\t')</c>. CSV as Directus's json2csv writes it
/// (<c>csv_utf8</c>: the same after a byte order mark, named <c>.csv</c>): nested objects flattened into dotted columns (in the order they first appear),
/// lists as their JSON, every text quoted, null empty. A list that may be larger than a batch
/// (<see cref="ItemBatches.Streams"/>) is written as it is read, as any large list, in the same bytes as the file built
/// whole: JSON, XML (<see cref="XmlFile"/>) and YAML (<see cref="YamlFile"/>) in one pass; CSV in two over the same
/// snapshot, because its header names the columns of all the rows.
/// </summary>
internal static class RestExport
{
    /// <summary>
    /// A JSON download as Directus writes it (<c>JSON.stringify(data, null, '\t')</c>): one value per line, indented by
    /// tabs, a space after each colon; the answers' escaping.
    /// </summary>
    private static readonly JsonWriterOptions JsonFile = GraphQLResponseWriter.WriterOptions with
    {
        Indented = true, IndentCharacter = '\t', IndentSize = 1, NewLine = "\n",
    };

    /// <summary>The byte order mark a <c>csv_utf8</c> download begins with (json2csv's <c>withBOM</c>), for spreadsheets.</summary>
    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    /// <summary>A list read whole (at most a batch): the file is built, then sent with its length.</summary>
    public static async Task WriteAsync(
        HttpContext context, CollectionModel collection, RestSelection selection, IReadOnlyList<object> rows, string format, DateTimeOffset now)
    {
        Check(format);
        using var body = GraphQLResponseWriter.NewBuffer();
        if (format == "json")
        {
            using var json = new Utf8JsonWriter((System.Buffers.IBufferWriter<byte>)body, JsonFile);
            RestJson.WriteItems(json, selection, rows);
        }
        else if (RowFile(format, selection) is { } file)
        {
            file.WriteStart(body, rows.Count == 0);
            foreach (var row in rows)
            {
                file.WriteRow(body, row);
            }

            file.WriteEnd(body, rows.Count == 0);
        }
        else
        {
            var csv = new CsvTable(selection);
            csv.AddColumns(rows);
            csv.WriteHeader(body, format);
            foreach (var row in rows)
            {
                csv.WriteRow(body, row);
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        Headers(context.Response, collection, format, now);
        context.Response.ContentLength = body.Length;
        foreach (var segment in body.GetReadOnlySequence())
        {
            await context.Response.Body.WriteAsync(segment, context.RequestAborted);
        }
    }

    /// <summary>
    /// A list that may be larger than a batch, written batch by batch over one snapshot (see <see cref="ItemBatches"/>),
    /// without <c>Content-Length</c>. What would fail the request fails before its first byte and is answered as for a
    /// list read whole: the first batch, then the <c>export</c> value (checked after the read, as there), and for CSV the
    /// whole first pass, which reads every batch once and keeps only the column names. A failure once the file has begun
    /// aborts the connection (<see cref="StreamedResponse"/>), so that no client takes a truncated file for the whole.
    /// </summary>
    public static async Task StreamAsync(
        HttpContext context, ItemReader reader, CollectionModel collection, RestSelection selection, QueryArgs args, Accountability who, string format,
        TimeProvider clock, ILogger logger)
    {
        var ct = context.RequestAborted;
        var snapshot = await reader.BeginSnapshotAsync(ct);
        Func<PipeWriter, CancellationToken, Task> write;
        try
        {
            var batches = await ItemBatches.OpenAsync(snapshot, collection, selection, selection.Shape(args), who, ct);
            Check(format);
            if (format == "json")
            {
                write = async (output, cancellationToken) =>
                {
                    await using var json = new Utf8JsonWriter(output, JsonFile);
                    await StreamedResponse.WriteBatchesAsync(json, output, batches, row => RestJson.WriteItem(json, selection, row), cancellationToken);
                    await json.FlushAsync(cancellationToken);
                };
            }
            else if (RowFile(format, selection) is { } file)
            {
                // What XML cannot hold, found in the first batch, is refused before the first byte (422); later, it aborts.
                if (file is XmlFile xml)
                {
                    foreach (var row in batches.Rows)
                    {
                        xml.Check(row);
                    }
                }

                var empty = batches.Rows.Count == 0;
                write = async (output, cancellationToken) =>
                {
                    file.WriteStart(output, empty);
                    await StreamedResponse.WriteRowsAsync(output, batches, row => file.WriteRow(output, row), null, cancellationToken);
                    file.WriteEnd(output, empty);
                };
            }
            else
            {
                var csv = new CsvTable(selection);
                csv.AddColumns(batches.Rows);
                var rows = batches;
                if (!batches.IsLast)
                {
                    while (await batches.NextAsync(ct))
                    {
                        csv.AddColumns(batches.Rows);
                    }

                    // The second pass reads the same rows again: the snapshot sees the database as the first did. A list
                    // of one batch (a limit of -1 on a small collection) is written from the rows its columns came from.
                    rows = await ItemBatches.OpenAsync(snapshot, collection, selection, selection.Shape(args), who, ct);
                }

                write = (output, cancellationToken) =>
                {
                    csv.WriteHeader(output, format);
                    return StreamedResponse.WriteRowsAsync(output, rows, row => csv.WriteRow(output, row), null, cancellationToken);
                };
            }
        }
        catch
        {
            await snapshot.DisposeAsync();
            throw;
        }

        await StreamedResponse.WriteAsync(
            context, new StreamedFile(snapshot, write), logger, response => Headers(response, collection, format, clock.GetUtcNow()));
    }

    private static void Check(string format)
    {
        switch (format)
        {
            case "json" or "csv" or "csv_utf8" or "xml" or "yaml":
                return;
            default:
                throw DirectusException.InvalidQuery("\"export\" must be one of [csv, csv_utf8, json, xml, yaml]");
        }
    }

    /// <summary>The formats written row by row in one pass without a header: XML and YAML.</summary>
    private static IRowFile? RowFile(string format, RestSelection selection) => format switch
    {
        "xml" => new XmlFile(selection),
        "yaml" => new YamlFile(selection),
        _ => null,
    };

    private static void Headers(HttpResponse response, CollectionModel collection, string format, DateTimeOffset now)
    {
        var (extension, mediaType) = format switch
        {
            "json" => ("json", "application/json"),
            "xml" => ("xml", "text/xml"),
            "yaml" => ("yaml", "text/yaml"),
            _ => ("csv", "text/csv"),
        };
        // Directus's getDateTimeFormatted: the month and day on two digits, the hours, minutes and seconds as they are.
        var time = now.UtcDateTime;
        var name = string.Create(CultureInfo.InvariantCulture, $"{collection.Name} {time:yyyyMMdd}-{time.Hour}{time.Minute}{time.Second}.{extension}");
        response.ContentType = $"{mediaType}; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
    }

    /// <summary>A file written as it is read; disposing it ends its snapshot.</summary>
    private sealed class StreamedFile(ItemSnapshot snapshot, Func<PipeWriter, CancellationToken, Task> write) : IStreamedAnswer
    {
        public Task WriteAsync(PipeWriter output, CancellationToken cancellationToken) => write(output, cancellationToken);

        public ValueTask DisposeAsync() => snapshot.DisposeAsync();
    }

    /// <summary>
    /// json2csv's table of a list: its columns, gathered from all the rows first (<see cref="AddColumns"/>), then the
    /// header and each row's line. Each row is flattened from its JSON as the answer writes it, one row at a time, so that
    /// nothing but the column names is kept from one row to the next, whatever the size of the list.
    /// </summary>
    private sealed class CsvTable
    {
        private readonly RowDocuments documents;
        private readonly List<string> columns = [];
        private readonly HashSet<string> known = new(StringComparer.Ordinal);
        private readonly Dictionary<string, JsonElement> cells = new(StringComparer.Ordinal);
        private readonly StringBuilder line = new();

        public CsvTable(RestSelection selection) => documents = new RowDocuments(selection);

        /// <summary>The rows' columns not seen in the rows before them, in the order they appear.</summary>
        public void AddColumns(IReadOnlyList<object> rows)
        {
            foreach (var row in rows)
            {
                using var document = Flatten(row);
                foreach (var column in cells.Keys.Where(known.Add))
                {
                    columns.Add(column);
                }
            }
        }

        /// <summary>The header line, after the byte order mark for <c>csv_utf8</c>; nothing for a list without rows, as json2csv.</summary>
        public void WriteHeader(IBufferWriter<byte> output, string format)
        {
            if (format == "csv_utf8" && columns.Count > 0)
            {
                output.Write(ByteOrderMark);
            }

            line.Clear().AppendJoin(',', columns.Select(Quote));
            Encoding.UTF8.GetBytes(line.ToString(), output);
        }

        /// <summary>The row's line, after a newline: the file ends without one, as json2csv's.</summary>
        public void WriteRow(IBufferWriter<byte> output, object row)
        {
            using var document = Flatten(row);
            line.Clear().Append('\n').AppendJoin(',', columns.Select(c => cells.TryGetValue(c, out var value) ? Cell(value) : ""));
            Encoding.UTF8.GetBytes(line.ToString(), output);
        }

        /// <summary>The row's JSON, its cells (into <see cref="cells"/>) valid until the document returned is disposed.</summary>
        private JsonDocument Flatten(object row)
        {
            var document = documents.Read(row);
            cells.Clear();
            Flatten(document.RootElement, null, cells);
            return document;
        }

        private static void Flatten(JsonElement value, string? prefix, Dictionary<string, JsonElement> row)
        {
            if (value.ValueKind == JsonValueKind.Object && prefix is null || value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Any())
            {
                foreach (var property in value.EnumerateObject())
                {
                    Flatten(property.Value, prefix is null ? property.Name : $"{prefix}.{property.Name}", row);
                }
            }
            else if (prefix is not null)
            {
                row[prefix] = value;
            }
        }

        private static string Cell(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            JsonValueKind.String => Quote(value.GetString()!),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => Quote(value.GetRawText()),
        };

        private static string Quote(string text) => $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }
}
