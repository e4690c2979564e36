using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ArtifactGraph.Server.Directus.Scalars;

namespace ArtifactGraph.Server.Rest;

/// <summary>
/// <c>export=yaml</c> as Directus writes it, with js-yaml's <c>dump(rows)</c> and its defaults: a block sequence of block
/// mappings, two spaces of indent a level (a list in a mapping indented under its key), empty lists and objects as
/// <c>[]</c> and <c>{}</c>, keys in the JSON's order, a newline at the end, <c>[]</c> for a list without rows. Texts take
/// js-yaml's styles (<see cref="YamlScalar"/>).
/// </summary>
internal sealed partial class YamlFile(RestSelection selection) : IRowFile
{
    private readonly RowDocuments documents = new(selection);
    private readonly StringBuilder text = new();
    private bool first = true;

    public void WriteStart(IBufferWriter<byte> output, bool empty)
    {
    }

    public void WriteRow(IBufferWriter<byte> output, object row)
    {
        using var document = documents.Read(row);
        text.Clear().Append(first ? "- " : "\n- ");
        first = false;
        Node(text, document.RootElement, 1, compact: true);
        Encoding.UTF8.GetBytes(text.ToString(), output);
    }

    public void WriteEnd(IBufferWriter<byte> output, bool empty) => Encoding.UTF8.GetBytes(empty ? "[]\n" : "\n", output);

    /// <summary>
    /// js-yaml's <c>writeNode</c> in block style: a list or object that is not <paramref name="compact"/> begins on the
    /// next line (<see cref="BeginsOnNextLine"/>), the first entry of a compact one on the line it is given.
    /// </summary>
    private static void Node(StringBuilder text, JsonElement value, int level, bool compact)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when value.EnumerateObject().Any():
                var index = 0;
                foreach (var property in RowDocuments.Properties(value))
                {
                    if (!compact || index++ > 0)
                    {
                        NewLine(text, level);
                    }

                    var key = YamlScalar.Write(property.Name, level + 1, isKey: true);
                    // js-yaml writes a key longer than 1,024 characters as an explicit "? key" entry.
                    var explicitPair = key.Length > 1024;
                    if (explicitPair)
                    {
                        text.Append("? ").Append(key);
                        NewLine(text, level);
                    }
                    else
                    {
                        text.Append(key);
                    }

                    text.Append(!explicitPair && BeginsOnNextLine(property.Value) ? ":" : ": ");
                    Node(text, property.Value, level + 1, explicitPair);
                }

                break;
            case JsonValueKind.Object:
                text.Append("{}");
                break;
            case JsonValueKind.Array when value.GetArrayLength() > 0:
                var item = 0;
                foreach (var element in value.EnumerateArray())
                {
                    if (!compact || item++ > 0)
                    {
                        NewLine(text, level);
                    }

                    text.Append("- ");
                    Node(text, element, level + 1, compact: true);
                }

                break;
            case JsonValueKind.Array:
                text.Append("[]");
                break;
            case JsonValueKind.String:
                text.Append(YamlScalar.Write(value.GetString()!, level, isKey: false));
                break;
            case JsonValueKind.Null:
                text.Append("null");
                break;
            case JsonValueKind.Number:
                text.Append(Number(value.GetDouble()));
                break;
            default:
                text.Append(value.GetRawText());
                break;
        }
    }

    /// <summary>A value of a mapping that starts on the line after its key: a list or object with entries.</summary>
    private static bool BeginsOnNextLine(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().Any(),
        JsonValueKind.Array => value.GetArrayLength() > 0,
        _ => false,
    };

    private static void NewLine(StringBuilder text, int level) => text.Append('\n').Append(' ', 2 * level);

    /// <summary>
    /// A number as JavaScript writes it (<see cref="JsNumber.ToText"/>), but a fraction in exponent form without a dot gets one,
    /// as js-yaml's float (<c>1e-7</c> is <c>1.e-7</c>); a whole number stays as it is (<c>1e+21</c>).
    /// </summary>
    private static string Number(double value)
    {
        var text = JsNumber.ToText(value);
        return value % 1 != 0 && ExponentWithoutDot().IsMatch(text) ? text.Replace("e", ".e", StringComparison.Ordinal) : text;
    }

    [GeneratedRegex("^[-+]?[0-9]+e")]
    private static partial Regex ExponentWithoutDot();
}
