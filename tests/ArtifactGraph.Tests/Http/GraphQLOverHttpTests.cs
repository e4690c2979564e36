using System.Net;
using System.Text;

namespace ArtifactGraph.Tests.Http;

/// <summary>
/// GraphQL over HTTP: <c>Accept: application/graphql-response+json</c> gets that type and the spec's status codes;
/// <c>application/json</c>, <c>*/*</c> or no Accept keep Directus's answers; anything else is a 406; a POST body in
/// another type than JSON or GraphQL is a 415.
/// </summary>
public sealed class GraphQLOverHttpTests(TransportFactory factory) : IClassFixture<TransportFactory>
{
    private const string GraphQLResponse = "application/graphql-response+json";

    [Theory]
    [InlineData(GraphQLResponse)]
    [InlineData("application/graphql-response+json, application/json;q=0.9")]
    [InlineData("application/json, application/graphql-response+json")]
    public async Task Accept_graphQLResponseJson_answersInThatType(string accept)
    {
        var (status, type, body) = await SendAsync("{ hello }", accept);
        Assert.Equal((HttpStatusCode.OK, GraphQLResponse, """{"data":{"hello":"world"}}"""), (status, type, body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("application/*")]
    [InlineData("application/json")]
    [InlineData("application/json, application/graphql-response+json;q=0.5")]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]
    [InlineData("not a media type")]
    public async Task Accept_jsonOrAnything_directusJson(string? accept)
    {
        var (status, type, _) = await SendAsync("{ hello }", accept);
        Assert.Equal((HttpStatusCode.OK, "application/json"), (status, type));
    }

    [Fact]
    public async Task Validation_graphQLResponseJson_400InThatType()
    {
        var (status, type, body) = await SendAsync("{ nope }", GraphQLResponse);
        Assert.Equal((HttpStatusCode.BadRequest, GraphQLResponse), (status, type));
        Assert.Contains("\"code\":\"GRAPHQL_VALIDATION\"", body);
    }

    [Fact]
    public async Task NonNullRootFailure_graphQLResponseJson_nullDataWith200()
    {
        var (status, _, body) = await SendAsync("{ nonNullFail }", GraphQLResponse);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.EndsWith(""","data":null}""", body);
        Assert.StartsWith("""{"errors":[{"message":"You don't have permission to access this.""", body);
    }

    [Fact]
    public async Task NonNullRootFailure_json_noDataKeyLikeDirectus()
    {
        var (status, _, body) = await SendAsync("{ nonNullFail }", "application/json");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("\"data\"", body);
    }

    [Theory]
    [InlineData(GraphQLResponse, HttpStatusCode.BadRequest)]
    [InlineData("application/json", HttpStatusCode.OK)]
    public async Task VariableCoercionFailure_statusByMediaType(string accept, HttpStatusCode expected)
    {
        var (status, _, body) = await SendAsync("query Q($t: String) { echo(text: $t) }", accept, """{"t":{"no":1}}""");
        Assert.Equal(expected, status);
        Assert.StartsWith("""{"errors":[""", body);
        Assert.DoesNotContain("\"data\"", body);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    public async Task Accept_unsupported_406WithJsonError(string accept)
    {
        var (status, type, body) = await SendAsync("{ hello }", accept);
        Assert.Equal((HttpStatusCode.NotAcceptable, "application/json"), (status, type));
        Assert.Equal(
            $$$"""{"errors":[{"message":"Unsupported media type \"{{{accept}}}\" in Accept header.","extensions":{"mediaType":"{{{accept}}}","where":"Accept header","supported":["application/json","application/graphql-response+json"],"code":"NOT_ACCEPTABLE"}}]}""",
            body);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task ContentType_unsupported_415WithJsonError(string contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("query={ hello }"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var (status, body) = await factory.Admin().SendRawAsync(HttpMethod.Post, "/graphql", content);
        var mediaType = contentType.Split(';')[0];
        Assert.Equal((HttpStatusCode.UnsupportedMediaType,
            $$$"""{"errors":[{"message":"Unsupported media type \"{{{mediaType}}}\" in Content-Type header.","extensions":{"mediaType":"{{{mediaType}}}","where":"Content-Type header","code":"UNSUPPORTED_MEDIA_TYPE"}}]}"""),
            (status, body));
    }

    [Fact]
    public async Task UnknownRoute_jsonRouteNotFound()
    {
        var (status, body) = await factory.CreateClient().SendRawAsync(HttpMethod.Post, "/graphqlx", TransportFactory.Json("{}"));
        Assert.Equal((HttpStatusCode.NotFound,
            """{"errors":[{"message":"Route /graphqlx doesn't exist.","extensions":{"path":"/graphqlx","code":"ROUTE_NOT_FOUND"}}]}"""), (status, body));
    }

    private async Task<(HttpStatusCode Status, string? MediaType, string Body)> SendAsync(string query, string? accept, string? variables = null)
    {
        var json = variables is null
            ? System.Text.Json.JsonSerializer.Serialize(new { query })
            : $$"""{"query":{{System.Text.Json.JsonSerializer.Serialize(query)}},"variables":{{variables}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = TransportFactory.Json(json) };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await factory.Admin().SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}
