using System.Net;
using System.Text;

namespace ArtifactGraph.Tests.Limits;

/// <summary>
/// <c>GRAPHQL_QUERY_TOKEN_LIMIT</c> and <c>MAX_PAYLOAD_SIZE</c> on the real server, set lower than their defaults
/// (5000 tokens, 1mb): each refusal in Directus's shape, and the server answers the next request.
/// </summary>
public sealed class RequestSizeLimitTests(SmallLimitsServer server) : IClassFixture<SmallLimitsServer>
{
    [Fact]
    public async Task TokenLimit_exceeded_400GraphQLValidation_serverKeepsServing()
    {
        // "{", "projects", "{" and 37 × "id" are 40 tokens; the closing "}" (column 125) is the 41st.
        var query = "{ projects { " + string.Join(' ', Enumerable.Repeat("id", 37)) + " } }";

        var answer = await GraphQLAnswer.PostAsync(server.Client(), query);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(
            """{"errors":[{"message":"GraphQL validation error.","extensions":{"errors":[{"message":"Syntax Error: Document contains more than 40 tokens. Parsing aborted.","locations":[{"line":1,"column":125}]}],"code":"GRAPHQL_VALIDATION"}}]}""",
            answer.Text);
        await AssertServingAsync();
    }

    [Fact]
    public async Task PayloadSize_exceeded_413ContentTooLarge_serverKeepsServing()
    {
        var body = "{\"query\":\"{ projects { id } }\",\"pad\":\"" + new string('a', 4096) + "\"}";

        using var response = await server.Client().PostAsync("/graphql", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("""{"errors":[{"message":"Uploaded content is too large.","extensions":{"code":"CONTENT_TOO_LARGE"}}]}""",
            await response.Content.ReadAsStringAsync());
        await AssertServingAsync();
    }

    private async Task AssertServingAsync()
    {
        var next = await GraphQLAnswer.PostAsync(server.Client(), "{ projects(limit: 1) { id } }");
        Assert.Equal(1, next.Body.GetProperty("data").GetProperty("projects").GetArrayLength());
    }
}
