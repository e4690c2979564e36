using System.Globalization;
using System.Text;
using System.Text.Json;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Http;

namespace ArtifactGraph.Server.Rest;

/// <summary>
/// <c>export=json|csv</c>: the list as a download named as Directus names it (<c>"&lt;collection&gt; &lt;yyyyMMdd-Hmmss&gt;.&lt;ext&gt;"</c>).
/// CSV as Directus's json2csv writes it: nested objects flattened into dotted columns (in the order they first appear),
/// lists as their JSON, every text quoted, null empty.
/// </summary>
internal static class RestExport
{
    public static async Task WriteAsync(
        HttpContext context, CollectionModel collection, RestSelection selection, IReadOnlyList<object> rows, string format, DateTimeOffset now)
    {
        if (format is not ("json" or "csv"))
        {
            throw DirectusException.InvalidQuery($"\"export\" must be one of json, csv");
        }

        using var body = GraphQLResponseWriter.NewBuffer();
        using (var json = GraphQLResponseWriter.CreateWriter(body))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                RestJson.WriteItem(json, selection, row);
            }

            json.WriteEndArray();
        }

        byte[] bytes;
        if (format == "json")
        {
            bytes = body.ToArray();
        }
        else
        {
            using var document = JsonDocument.Parse(body.ToArray());
            bytes = Encoding.UTF8.GetBytes(Csv(document.RootElement));
        }

        var name = $"{collection.Name} {now.UtcDateTime.ToString("yyyyMMdd-Hmmss", CultureInfo.InvariantCulture)}.{format}";
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = format == "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static string Csv(JsonElement items)
    {
        var columns = new List<string>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        var flat = new List<Dictionary<string, JsonElement>>();
        foreach (var item in items.EnumerateArray())
        {
            var row = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            Flatten(item, null, row);
            foreach (var column in row.Keys.Where(known.Add))
            {
                columns.Add(column);
            }

            flat.Add(row);
        }

        var csv = new StringBuilder();
        csv.AppendJoin(',', columns.Select(Quote)).Append('\n');
        foreach (var row in flat)
        {
            csv.AppendJoin(',', columns.Select(c => row.TryGetValue(c, out var value) ? Cell(value) : "")).Append('\n');
        }

        return csv.ToString(0, Math.Max(0, csv.Length - 1));
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
