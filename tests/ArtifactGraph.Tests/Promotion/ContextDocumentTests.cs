using System.Text.Json;
using ArtifactGraph.Server.Promotion;

namespace ArtifactGraph.Tests.Promotion;

public sealed class ContextDocumentTests
{
    [Theory]
    [InlineData("spec/requirements", new[] { "spec", "requirements" })]
    [InlineData("a/b.c", new[] { "a", "b", "c" })]
    [InlineData("/a//b./", new[] { "a", "b" })]
    [InlineData("single", new[] { "single" })]
    [InlineData("", new string[0])]
    [InlineData("/./", new string[0])]
    [InlineData(null, new string[0])]
    public void PathOf_schema_key_splits_on_slash_and_dot(string? schemaKey, string[] expected)
        => Assert.Equal(expected, ContextDocument.PathOf(schemaKey));

    [Theory]
    [InlineData(null, "a/b", "1", """{"a":{"b":1}}""")]
    [InlineData("""{"keep":true}""", "a/b.c", """{"x":[1,2]}""", """{"keep":true,"a":{"b":{"c":{"x":[1,2]}}}}""")]
    [InlineData("""{"a":{"b":{"old":1},"z":2}}""", "a/b", """{"new":2}""", """{"a":{"b":{"new":2},"z":2}}""")]
    [InlineData("""{"a":"text","b":2}""", "a/b", "3", """{"a":{"b":3},"b":2}""")]
    [InlineData("""{"a":[1],"b":2}""", "a.c", "null", """{"a":{"c":null},"b":2}""")]
    [InlineData("""[1,2]""", "a", "1", """{"a":1}""")]
    [InlineData("not json", "a", "1", """{"a":1}""")]
    [InlineData("""{"a":1}""", "b", null, """{"a":1,"b":null}""")]
    [InlineData("""{"a":1}""", "b", "plain text", """{"a":1,"b":"plain text"}""")]
    [InlineData("""{"é":"<ü>"}""", "b", "\"ö&\"", """{"é":"<ü>","b":"ö&"}""")]
    public void Write_content_at_path_keeps_every_other_key(string? context, string schemaKey, string? content, string expected)
        => Assert.Equal(expected, ContextDocument.Write(context, ContextDocument.PathOf(schemaKey), content));

    [Fact]
    public void Write_result_is_valid_json_with_keys_in_their_order()
    {
        var text = ContextDocument.Write("""{"z":1,"a":{"y":1,"b":0}}""", ["a", "b", "c"], "2");
        Assert.Equal(["z", "a"], JsonDocument.Parse(text).RootElement.EnumerateObject().Select(p => p.Name));
    }
}
