using System.Buffers;
using System.Text;
using System.Text.Json;
using ArtifactGraph.Server.Http;
using ArtifactGraph.Server.Json;

namespace ArtifactGraph.Tests.Http;

/// <summary>A json column's text in an answer: copied when that gives the bytes its parsed value gives, parsed otherwise.</summary>
public sealed class JsonColumnTests
{
    public static TheoryData<string> Copied => new()
    {
        """{"title":"spec/a v3","score":7,"checks":["reviewed","tested"],"n":null,"ok":true,"no":false}""",
        """[1,-0,1.50,2e10,{"a":[]},{}]""",
        """{"quote":"a \"b\" c","slash":"a\\b","lines":"a\nb\r\tc\b\f"}""",
        "\"plain text\"",
        "42",
        "null",
        """{"<&>'+`":"<b>&amp;</b> 'x' + `y`"}""",
    };

    public static TheoryData<string> Parsed => new()
    {
        """{ "a": 1 }""",
        """{"a":1} """,
        """ {"a":1}""",
        """{"a":[1, 2]}""",
        """{"a":"caf\u00e9","b":"x\/y","c":"\u001f"}""",
        """{"a":"café","b":"\u2028"}""",
        "{\"a\":\"\u2028\"}",
        """{a:1}""",
        """{"a":1}{"b":2}""",
        "not json",
        "",
        string.Concat(Enumerable.Repeat("[", 70)) + string.Concat(Enumerable.Repeat("]", 70)),
    };

    [Theory]
    [MemberData(nameof(Copied))]
    public void Compact_ASCII_JSON_is_copied_as_it_is(string text)
    {
        using var writer = new Utf8JsonWriter(new ArrayBufferWriter<byte>());
        Assert.True(JsonColumn.TryCopy(writer, text));
        Assert.Equal(AsBefore(text), Written(text));
        Assert.Equal(text, Written(text));
    }

    [Theory]
    [MemberData(nameof(Parsed))]
    public void Any_other_text_is_written_as_its_parsed_value_or_as_a_string(string text)
    {
        using var writer = new Utf8JsonWriter(new ArrayBufferWriter<byte>());
        Assert.False(JsonColumn.TryCopy(writer, text));
        Assert.Equal(AsBefore(text), Written(text));
    }

    [Fact]
    public void A_JSON_download_indents_the_value_as_the_rest_of_the_file()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, GraphQLResponseWriter.WriterOptions with { Indented = true, IndentCharacter = '\t', IndentSize = 1, NewLine = "\n" }))
        {
            JsonColumn.Write(writer, """{"a":[1]}""");
        }

        Assert.Equal("{\n\t\"a\": [\n\t\t1\n\t]\n}", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void A_copied_value_is_separated_from_its_neighbours_as_any_value()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, GraphQLResponseWriter.WriterOptions))
        {
            writer.WriteStartArray();
            JsonColumn.Write(writer, """{"a":1}""");
            JsonColumn.Write(writer, "[2]");
            writer.WriteStartObject();
            writer.WritePropertyName("c");
            JsonColumn.Write(writer, "\"x\"");
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        Assert.Equal("""[{"a":1},[2],{"c":"x"}]""", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>What the answers wrote before: the text parsed and written again, or a JSON string when it is not JSON.</summary>
    private static string AsBefore(string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, GraphQLResponseWriter.WriterOptions))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                document.RootElement.WriteTo(writer);
            }
            catch (JsonException)
            {
                writer.WriteStringValue(text);
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Written(string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, GraphQLResponseWriter.WriterOptions))
        {
            JsonColumn.Write(writer, text);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
