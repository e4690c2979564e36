using System.Net;
using ArtifactGraph.Tests.Http;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>Inputs the bad-input suite found answered with a 500: a document nested past the parser's limit, GET variables that are not an object.</summary>
public sealed class ParserDepthAndVariablesTests(TransportFactory factory) : IClassFixture<TransportFactory>
{
    [Fact]
    public async Task Post_documentNestedPastTheParserLimit_isSyntaxError400()
    {
        var query = "{ hello" + string.Concat(Enumerable.Repeat(" { a", 200)) + new string('}', 201);

        var (status, body) = await factory.Admin().PostAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(
            """{"errors":[{"message":"GraphQL validation error.","extensions":{"errors":[{"message":"Syntax Error: Maximum depth exceeded.","locations":[{"line":1,""",
            body);
    }

    [Fact]
    public async Task Post_listLiteralNestedPastTheParserLimit_isSyntaxError400()
    {
        var query = "{ echo(text: " + new string('[', 300) + new string(']', 300) + ") }";

        var (status, body) = await factory.Admin().PostAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("\"code\":\"GRAPHQL_VALIDATION\"", body);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("1")]
    [InlineData("%22text%22")]
    [InlineData("true")]
    public async Task Get_variablesThatAreNotAnObject_provideNoVariables(string variables)
    {
        var (status, body) = await factory.Admin().SendRawAsync(HttpMethod.Get, "/graphql?query=%7B%20hello%20%7D&variables=" + variables);

        Assert.Equal((HttpStatusCode.OK, """{"data":{"hello":"world"}}"""), (status, body));
    }

    [Fact]
    public async Task Get_variablesNotAnObject_requiredVariableIsNotProvided()
    {
        var url = "/graphql?query=" + Uri.EscapeDataString("query Q($t: String!) { echo(text: $t) }") + "&variables=%5B%22hi%22%5D";

        var (status, body) = await factory.Admin().SendRawAsync(HttpMethod.Get, url);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            """{"errors":[{"message":"Variable \"$t\" of required type \"String!\" was not provided.","extensions":{"code":"GRAPHQL_VALIDATION"},"locations":[{"line":1,"column":9}]}]}""",
            body);
    }
}
