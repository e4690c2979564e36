using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace ArtifactGraph.Tests.Http;

public sealed class TransportTests(TransportFactory factory) : IClassFixture<TransportFactory>
{
    [Fact]
    public async Task JsonPost_simpleQuery_returnsCompactDataWithDirectusHeaders()
    {
        using var response = await factory.Admin().PostAsync("/graphql", TransportFactory.Json("""{"query":"{ hello }"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
        Assert.Equal("Origin, Cache-Control", string.Join(", ", response.Headers.Vary));
        Assert.Equal("""{"data":{"hello":"world"}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task JsonPost_unknownKeysAndNullOperationName_accepted()
    {
        var (status, body) = await factory.Admin().SendRawAsync(HttpMethod.Post, "/graphql/?apiKey=x",
            TransportFactory.Json("""{"query":"{ hello }","variables":null,"operationName":null,"extensions":{"a":1},"custom":true}"""));
        Assert.Equal((HttpStatusCode.OK, """{"data":{"hello":"world"}}"""), (status, body));
    }

    [Fact]
    public async Task RawGraphQLPost_bodyIsQuery_executes()
    {
        var (status, body) = await factory.Admin().SendRawAsync(HttpMethod.Post, "/graphql",
            new StringContent("{ hello }", Encoding.UTF8, "application/graphql"));
        Assert.Equal((HttpStatusCode.OK, """{"data":{"hello":"world"}}"""), (status, body));
    }

    [Fact]
    public async Task Get_withVariables_readsUrlOnly()
    {
        var url = "/graphql?query=" + Uri.EscapeDataString("query Q($t: String) { echo(text: $t) }") + "&variables=" + Uri.EscapeDataString("""{"t":"hi"}""");
        var (status, body) = await factory.Admin().SendRawAsync(HttpMethod.Get, url, TransportFactory.Json("not json at all"));
        Assert.Equal((HttpStatusCode.OK, """{"data":{"echo":"hi"}}"""), (status, body));
    }

    [Fact]
    public async Task Get_invalidVariablesJson_invalidQuery()
    {
        var (status, body) = await factory.Admin().SendRawAsync(HttpMethod.Get, "/graphql?query=%7B%20hello%20%7D&variables=%7Bx");
        Assert.Equal((HttpStatusCode.BadRequest,
            """{"errors":[{"message":"Invalid query. Variables are invalid JSON.","extensions":{"reason":"Variables are invalid JSON","code":"INVALID_QUERY"}}]}"""),
            (status, body));
    }

    [Fact]
    public async Task Get_mutation_methodNotAllowedWithAllowPost()
    {
        using var response = await factory.Admin().GetAsync("/graphql?query=" + Uri.EscapeDataString("mutation { touch }"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
        Assert.Contains("\"message\":\"Invalid method \\\"GET\\\" used. Should be one of \\\"POST\\\".\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Put_anyRoute_methodNotAllowedWithAllowGetPost()
    {
        using var response = await factory.Admin().PutAsync("/graphql/system", TransportFactory.Json("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, POST", string.Join(", ", response.Content.Headers.Allow));
        Assert.Equal(
            """{"errors":[{"message":"Invalid method \"PUT\" used. Should be one of \"GET\", \"POST\".","extensions":{"allowed":["GET","POST"],"current":"PUT","code":"METHOD_NOT_ALLOWED"}}]}""",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""[{"query":"{ hello }"}]""")]
    [InlineData("")]
    [InlineData("""{"query":""}""")]
    [InlineData("""{"variables":{}}""")]
    public async Task Post_noQueryString_invalidPayload(string json)
    {
        var (status, body) = await factory.Admin().SendRawAsync(HttpMethod.Post, "/graphql", TransportFactory.Json(json));
        Assert.Equal((HttpStatusCode.BadRequest,
            """{"errors":[{"message":"Invalid payload. Must provide query string.","extensions":{"reason":"Must provide query string","code":"INVALID_PAYLOAD"}}]}"""),
            (status, body));
    }

    [Fact]
    public async Task Post_truncatedJson_nodeMessageOfCase127()
    {
        var (status, body) = await factory.Admin().SendRawAsync(HttpMethod.Post, "/graphql", TransportFactory.Json("""{"query": """));
        Assert.Equal((HttpStatusCode.BadRequest,
            """{"errors":[{"message":"Invalid payload. Unexpected end of JSON input.","extensions":{"reason":"Unexpected end of JSON input","code":"INVALID_PAYLOAD"}}]}"""),
            (status, body));
    }

    [Fact]
    public async Task Post_badToken_unexpectedTokenMessage()
    {
        var (status, body) = await factory.Admin().SendRawAsync(HttpMethod.Post, "/graphql", TransportFactory.Json("""{"query": x}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Invalid payload. Unexpected token 'x', \\\"{\\\"query\\\": x}\\\" is not valid JSON.", body);
    }

    [Fact]
    public async Task Post_overPayloadLimit_contentTooLargeJson()
    {
        var big = "{\"query\":\"{ hello }\",\"pad\":\"" + new string('a', (int)TransportFactory.MaxPayload) + "\"}";
        var (status, body) = await factory.Admin().SendRawAsync(HttpMethod.Post, "/graphql", TransportFactory.Json(big));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge,
            """{"errors":[{"message":"Uploaded content is too large.","extensions":{"code":"CONTENT_TOO_LARGE"}}]}"""), (status, body));
    }

    [Fact]
    public async Task Auth_bearerAndAccessToken_invalidPayload()
    {
        var (status, body) = await factory.Admin().SendRawAsync(HttpMethod.Post, "/graphql?access_token=x", TransportFactory.Json("""{"query":"{ hello }"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Invalid payload. The request uses more than one method for including an access token.", body);
    }

    [Fact]
    public async Task Auth_unknownToken_unauthorizedJson()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("bearer", "nope");
        var (status, body) = await client.PostAsync("{ hello }");
        Assert.Equal((HttpStatusCode.Unauthorized,
            """{"errors":[{"message":"Invalid user credentials.","extensions":{"code":"INVALID_CREDENTIALS"}}]}"""), (status, body));
    }

    [Fact]
    public async Task Auth_accessTokenQueryParameter_authenticatesAsAdmin()
    {
        var (status, body) = await factory.CreateClient().SendRawAsync(HttpMethod.Post, "/graphql?access_token=" + FakeTokenAuthenticator.AdminToken,
            TransportFactory.Json("""{"query":"{ whoami }"}"""));
        Assert.Equal((HttpStatusCode.OK, """{"data":{"whoami":"admin"}}"""), (status, body));
    }

    [Fact]
    public async Task Auth_noToken_publicAccountability()
    {
        var (status, body) = await factory.CreateClient().PostAsync("{ whoami }");
        Assert.Equal((HttpStatusCode.OK, """{"data":{"whoami":"public"}}"""), (status, body));
    }

    [Fact]
    public async Task ServerPing_get_pong()
        => Assert.Equal("pong", await factory.CreateClient().GetStringAsync("/server/ping"));

    [Fact]
    public async Task ServerHealth_databaseReachable_ok()
    {
        using var response = await factory.CreateClient().GetAsync("/server/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/health+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"status":"ok"}""", await response.Content.ReadAsStringAsync());
    }
}
