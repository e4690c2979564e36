using System.Net;

namespace ArtifactGraph.Tests.Limits;

/// <summary>
/// <c>QUERY_LIMIT_MAX</c> as Directus applies it: no <c>limit</c> reads min(QUERY_LIMIT_DEFAULT, max), <c>-1</c> reads
/// the max, a larger limit is the field's INVALID_QUERY error (HTTP 200) with Joi's message.
/// </summary>
public sealed class QueryLimitMaxTests(SmallLimitsServer server) : IClassFixture<SmallLimitsServer>
{
    [Theory]
    [InlineData("")]
    [InlineData("(limit: -1)")]
    [InlineData("(limit: 2)")]
    public async Task Limit_absentMinusOneOrMax_readsTheMax(string arguments)
    {
        var answer = await GraphQLAnswer.PostAsync(server.Client(), $"{{ artifact_versions{arguments} {{ id }} }}");

        Assert.False(answer.Body.TryGetProperty("errors", out _), answer.Text);
        Assert.Equal(2, answer.Body.GetProperty("data").GetProperty("artifact_versions").GetArrayLength());
    }

    [Fact]
    public async Task Limit_aboveMax_invalidQueryFieldError_serverKeepsServing()
    {
        var answer = await GraphQLAnswer.PostAsync(server.Client(), "{ artifact_versions(limit: 3) { id } }");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(
            """{"errors":[{"message":"Invalid query. \"limit\" must be less than or equal to 2.","extensions":{"reason":"\"limit\" must be less than or equal to 2","code":"INVALID_QUERY"},"locations":[{"line":1,"column":3}],"path":["artifact_versions"]}]}""",
            answer.Text);

        var next = await GraphQLAnswer.PostAsync(server.Client(), "{ projects(limit: 1) { id } }");
        Assert.False(next.Body.TryGetProperty("errors", out _), next.Text);
    }
}
