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
/// <para>
/// What XML cannot hold, js2xmlparser refuses, and Directus then answers 500: a key that is not an XML name (<c>"1"</c>,
/// <c>"a b"</c>, a JSON key of a json column) or a text with a character XML does not allow (most control characters, a
/// lone surrogate). Here it is 422 <c>UNPROCESSABLE_CONTENT</c> naming the key or the character, checked as xmlcreate
/// checks them; a download streamed in batches that meets one after its first batch is cut off (see
/// <see cref="RestExport"/>), never finished as if whole.
/// </para>
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

    /// <summary>Throws the 422 that writing <paramref name="row"/> would throw, writing nothing.</summary>
    public void Check(object row)
    {
        using var document = documents.Read(row);
        Element(new StringBuilder(), "data", document.RootElement, Indent);
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
        if (!IsName(name))
        {
            throw Unprocessable($"\"{name}\" is not an XML element name, so the items cannot be exported as XML");
        }

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
        if (InvalidChar(content) is { } bad)
        {
            throw Unprocessable($"A text holds the character U+{bad:X4}, which XML cannot hold, so the items cannot be exported as XML");
        }

        var start = text.Length;
        text.Append(content).Replace("&", "&amp;", start, text.Length - start);
        text.Replace("<", "&lt;", start, text.Length - start).Replace("]]>", "]]&gt;", start, text.Length - start);
    }

    private static Errors.DirectusException Unprocessable(string reason)
        => new("UNPROCESSABLE_CONTENT", $"Can't process content. {reason}.", 422, new Dictionary<string, object?> { ["reason"] = reason });

    /// <summary>The first UTF-16 unit XML 1.0 does not allow (xmlcreate's <c>validateChar</c>), or null.</summary>
    internal static int? InvalidChar(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\t' or '\n' or '\r' or (>= '\u0020' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD'))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return c;
        }

        return null;
    }

    /// <summary>Whether a key is an XML name (xmlcreate's <c>validateName</c>, XML 1.0 fifth edition).</summary>
    internal static bool IsName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i == 0 ? IsNameStart(c) : IsNameStart(c) || c is '-' or '.' or '\u00B7' or (>= '0' and <= '9') or (>= '\u0300' and <= '\u036F') or (>= '\u203F' and <= '\u2040'))
            {
                continue;
            }

            // #x10000-#xEFFFF: a high surrogate up to U+DB7F with its low surrogate.
            if (c is >= '\uD800' and <= '\uDB7F' && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
                continue;
            }

            return false;
        }

        return true;
    }

    private static bool IsNameStart(char c)
        => c is ':' or '_' or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '\u00C0' and <= '\u00D6') or (>= '\u00D8' and <= '\u00F6')
            or (>= '\u00F8' and <= '\u02FF') or (>= '\u0370' and <= '\u037D') or (>= '\u037F' and <= '\u1FFF') or (>= '\u200C' and <= '\u200D')
            or (>= '\u2070' and <= '\u218F') or (>= '\u2C00' and <= '\u2FEF') or (>= '\u3001' and <= '\uD7FF') or (>= '\uF900' and <= '\uFDCF')
            or (>= '\uFDF0' and <= '\uFFFD');
}
