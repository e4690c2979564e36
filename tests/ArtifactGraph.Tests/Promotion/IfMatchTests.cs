using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Promotion;

namespace ArtifactGraph.Tests.Promotion;

public sealed class IfMatchTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("  ", null)]
    [InlineData("*", null)]
    [InlineData("3", 3)]
    [InlineData(" 3 ", 3)]
    [InlineData("\"3\"", 3)]
    [InlineData("0", 0)]
    public void ParseHeader_number_quoted_or_not(string? header, int? expected)
        => Assert.Equal(expected, IfMatch.ParseHeader(header));

    [Theory]
    [InlineData("W/\"3\"")]
    [InlineData("\"3\", \"4\"")]
    [InlineData("3,4")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("\"3")]
    [InlineData("99999999999")]
    public void ParseHeader_malformed_is_invalid_payload(string header)
    {
        var error = Assert.Throws<DirectusException>(() => IfMatch.ParseHeader(header));
        Assert.Equal("INVALID_PAYLOAD", error.Code);
        Assert.Equal("Invalid payload. The If-Match header must be the project's context_version, a whole number such as 3 or \"3\".", error.Message);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("3", null, 3)]
    [InlineData(null, 4, 4)]
    [InlineData("\"4\"", 4, 4)]
    public void Resolve_header_or_argument(string? header, int? argument, int? expected)
        => Assert.Equal(expected, IfMatch.Resolve(header, argument));

    [Fact]
    public void Resolve_header_and_argument_differ_is_invalid_payload()
    {
        var error = Assert.Throws<DirectusException>(() => IfMatch.Resolve("3", 4));
        Assert.Equal(("INVALID_PAYLOAD", "Invalid payload. The If-Match header (3) and the ifMatch argument (4) differ."), (error.Code, error.Message));
    }
}
