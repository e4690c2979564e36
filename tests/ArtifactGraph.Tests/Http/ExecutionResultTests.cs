using System.Net;

namespace ArtifactGraph.Tests.Http;

public sealed class ExecutionResultTests(TransportFactory factory) : IClassFixture<TransportFactory>
{
    [Fact]
    public async Task PartialData_directusError_errorsBeforeDataLikeCase113()
    {
        var (status, body) = await factory.Admin().PostAsync("{ hello fail }");
        Assert.Equal((HttpStatusCode.OK,
            """{"errors":[{"message":"You don't have permission to access this.","extensions":{"code":"FORBIDDEN"},"locations":[{"line":1,"column":9}],"path":["fail"]}],"data":{"hello":"world","fail":null}}"""),
            (status, body));
    }

    [Fact]
    public async Task NonNullRootFailure_noDataKey()
    {
        var (status, body) = await factory.Admin().PostAsync("{ hello nonNullFail }");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("""{"errors":[{"message":"You don't have permission to access this.""", body);
        Assert.DoesNotContain("\"data\"", body);
    }

    [Fact]
    public async Task UnexpectedException_admin_maskedWithLocationAndPath()
    {
        var (status, body) = await factory.Admin().PostAsync("{ crash }");
        Assert.Equal((HttpStatusCode.OK,
            """{"errors":[{"message":"An unexpected error occurred.","extensions":{"code":"INTERNAL_SERVER_ERROR"},"locations":[{"line":1,"column":3}],"path":["crash"]}],"data":{"crash":null}}"""),
            (status, body));
    }

    [Fact]
    public async Task UnexpectedException_public_maskedWithoutLocation()
    {
        var (status, body) = await factory.CreateClient().PostAsync("{ crash }");
        Assert.Equal((HttpStatusCode.OK,
            """{"errors":[{"message":"An unexpected error occurred.","extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":{"crash":null}}"""),
            (status, body));
        Assert.DoesNotContain("SELECT", body);
    }

    [Fact]
    public async Task SeveralOperations_noOperationName_requestErrorLikeCase115()
    {
        var (status, body) = await factory.Admin().PostAsync("query A { hello } query B { tasks(limit: 1) }");
        Assert.Equal((HttpStatusCode.OK,
            """{"errors":[{"message":"Must provide operation name if query contains multiple operations.","extensions":{"code":"GRAPHQL_VALIDATION"}}]}"""),
            (status, body));
    }

    [Fact]
    public async Task UnknownOperationName_requestError()
    {
        var (status, body) = await factory.Admin().SendRawAsync(HttpMethod.Post, "/graphql",
            TransportFactory.Json("""{"query":"query A { hello }","operationName":"X"}"""));
        Assert.Equal((HttpStatusCode.OK,
            """{"errors":[{"message":"Unknown operation named \"X\".","extensions":{"code":"GRAPHQL_VALIDATION"}}]}"""),
            (status, body));
    }

    [Fact]
    public async Task VariableOfWrongType_graphqlJsCoercionMessage()
    {
        var (status, body) = await factory.Admin().PostAsync("query Q($n: String) { echo(text: $n) }", new { n = 5 });
        Assert.Equal((HttpStatusCode.OK,
            """{"errors":[{"message":"Variable \"$n\" got invalid value 5; String cannot represent a non string value: 5","extensions":{"code":"GRAPHQL_VALIDATION"},"locations":[{"line":1,"column":9}]}]}"""),
            (status, body));
    }

    [Fact]
    public async Task SystemEndpoint_query_executes()
    {
        var (status, body) = await factory.Admin().PostAsync("{ hello }", path: "/graphql/system");
        Assert.Equal((HttpStatusCode.OK, """{"data":{"hello":"world"}}"""), (status, body));
    }
}
