using System.Buffers;
using System.Text;
using System.Text.Json;
using ArtifactGraph.Server.Directus.Scalars;

namespace ArtifactGraph.Server.Rest;

/// <summary>
/// <c>export=xml</c> as Directus writes it, with js2xmlparser's <c>parse("data", rows)</c> and its defaults: a declaration
/// in single quotes, a root <c>data</c> holding one <c>data</c> element a row, four spaces of indent a level, no newline
/// at the end. A key is an element; a list repeats its key's element for each value (nested lists are flattened, an empty
/// list writes nothing); an empty object or text closes itself (<c>&lt;k/&gt;</c>); <c>null</c>, numbers and booleans
/// are their text (numbers as JavaScript writes them, <see cref="JsNumber.ToText"/>). In text, <c>&amp;</c>, <c>&lt;</c> and <c>]]&gt;</c> are escaped, nothing else.
/// </summary>
internal sealed class XmlFile(RestSelection selection) : IRowFile
{
    private const string Indent = "    ";

    private readonly RowDocuments documents = new(selection);
    private readonly StringBuilder text = new();

    public void WriteStart(IBufferWriter<byte> output, bool empty)
        => Encoding.UTF8.GetBytes(empty ? "<?xml version='1.0'?>\n<data/>" : "<?xml version='1.0'?>\n<data>", output);

    public void WriteRow(IBufferWriter<byte> output, object row)
    {
        using var document = documents.Read(row);
        text.Clear().Append('\n').Append(Indent);
        Element(text, "data", document.RootElement, Indent);
        Encoding.UTF8.GetBytes(text.ToString(), output);
    }

    public void WriteEnd(IBufferWriter<byte> output, bool empty)
    {
        if (!empty)
        {
            Encoding.UTF8.GetBytes("\n</data>", output);
        }
    }

    /// <summary>An object's entry: its element, or for a list one element a value (js2xmlparser's array handling).</summary>
    private static void Entry(StringBuilder text, string name, JsonElement value, string indent)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            text.Append('\n').Append(indent);
            Element(text, name, value, indent);
            return;
        }

        foreach (var item in value.EnumerateArray())
        {
            Entry(text, name, item, indent);
        }
    }

    private static void Element(StringBuilder text, string name, JsonElement value, string indent)
    {
        text.Append('<').Append(name);
        if (value.ValueKind == JsonValueKind.Object)
        {
            if (!value.EnumerateObject().Any(p => HasElement(p.Value)))
            {
                text.Append("/>");
                return;
            }

            text.Append('>');
            var inner = indent + Indent;
            foreach (var property in RowDocuments.Properties(value))
            {
                Entry(text, property.Name, property.Value, inner);
            }

            text.Append('\n').Append(indent).Append("</").Append(name).Append('>');
            return;
        }

        var content = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null => "null",
            JsonValueKind.Number => JsNumber.ToText(value.GetDouble()),
            _ => value.GetRawText(),
        };
        if (content.Length == 0)
        {
            text.Append("/>");
            return;
        }

        text.Append('>');
        Escape(text, content);
        text.Append("</").Append(name).Append('>');
    }

    /// <summary>Whether a value writes an element: anything but a list without a value that does (<c>[]</c>, <c>[[]]</c>).</summary>
    private static bool HasElement(JsonElement value)
        => value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(HasElement);

    /// <summary>xmlcreate's character data: <c>&amp;</c>, then <c>&lt;</c>, then the CDATA end <c>]]&gt;</c>.</summary>
    private static void Escape(StringBuilder text, string content)
    {
        var start = text.Length;
        text.Append(content).Replace("&", "&amp;", start, text.Length - start);
        text.Replace("<", "&lt;", start, text.Length - start).Replace("]]>", "]]&gt;", start, text.Length - start);
    }
}
