using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ArtifactGraph.Server.Http;

namespace ArtifactGraph.Server.Rest;

/// <summary>
/// A download's rows as the JSON answer writes them, read back one at a time, for the formats that Directus makes from
/// that JSON (CSV, XML, YAML): the same values, keys and order, and nothing kept from one row to the next.
/// </summary>
internal sealed class RowDocuments
{
    private readonly RestSelection selection;
    private readonly ArrayBufferWriter<byte> item = new();
    private readonly Utf8JsonWriter json;

    public RowDocuments(RestSelection selection)
    {
        this.selection = selection;
        json = new Utf8JsonWriter(item, GraphQLResponseWriter.WriterOptions);
    }

    /// <summary>The row's JSON, valid until the document returned is disposed.</summary>
    public JsonDocument Read(object row)
    {
        item.ResetWrittenCount();
        json.Reset(item);
        RestJson.WriteItem(json, selection, row);
        json.Flush();
        return JsonDocument.Parse(item.WrittenMemory);
    }

    /// <summary>
    /// An object's properties in the order JavaScript's <c>Object.keys</c> gives them once Directus has parsed the JSON:
    /// the keys that are array indices (<c>"0"</c>, <c>"17"</c>, below 2³²−1, without leading zeros) first, by number,
    /// then the others as written. js2xmlparser and js-yaml write them in that order.
    /// </summary>
    public static IEnumerable<JsonProperty> Properties(JsonElement value)
    {
        var properties = value.EnumerateObject();
        if (!properties.Any(p => ArrayIndex(p.Name) is not null))
        {
            return properties;
        }

        return properties.Where(p => ArrayIndex(p.Name) is not null).OrderBy(p => ArrayIndex(p.Name))
            .Concat(properties.Where(p => ArrayIndex(p.Name) is null));
    }

    private static uint? ArrayIndex(string key)
        => key.Length > 0 && (key == "0" || key[0] != '0') && key.All(char.IsAsciiDigit)
            && uint.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < uint.MaxValue
                ? index
                : null;
}

/// <summary>A download written row by row in one pass: its opening, each row, its end (<see cref="RestExport"/>).</summary>
internal interface IRowFile
{
    /// <param name="empty">Whether the list has no rows: XML and YAML write an empty list otherwise than a list's start.</param>
    void WriteStart(IBufferWriter<byte> output, bool empty);

    void WriteRow(IBufferWriter<byte> output, object row);

    void WriteEnd(IBufferWriter<byte> output, bool empty);
}
