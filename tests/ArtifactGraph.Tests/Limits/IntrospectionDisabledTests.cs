using System.Net;

namespace ArtifactGraph.Tests.Limits;

/// <summary>
/// <c>GRAPHQL_INTROSPECTION=false</c>: introspection fields are refused with graphql-js's message in Directus's
/// GRAPHQL_VALIDATION wrapper (HTTP 400), validation messages lose their "Did you mean …?" and <c>?sdl</c> is refused too,
/// for every caller but an administrator.
/// </summary>
public sealed class IntrospectionDisabledTests(IntrospectionDisabledTests.Server server) : IClassFixture<IntrospectionDisabledTests.Server>
{
    public sealed class Server() : LimitedServer(new Dictionary<string, string> { ["GRAPHQL_INTROSPECTION"] = "false" });

    private static string Refusal(params (string Field, int Column)[] fields)
        => """{"errors":[{"message":"GraphQL validation error.","extensions":{"errors":["""
            + string.Join(",", fields.Select(f =>
                $$"""{"message":"GraphQL introspection has been disabled, but the requested query contained the field \"{{f.Field}}\".","locations":[{"line":1,"column":{{f.Column}}}]}"""))
            + """],"code":"GRAPHQL_VALIDATION"}}]}""";

    [Theory]
    [InlineData(LimitedServer.EditorToken)]
    [InlineData(null)]
    public async Task Schema_notAdmin_400EveryIntrospectionField(string? token)
    {
        var answer = await GraphQLAnswer.PostAsync(server.Client(token), "{ __schema { queryType { name } } }");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(Refusal(("__schema", 3), ("queryType", 14)), answer.Text);
    }

    [Fact]
    public async Task Type_onSystemEndpoint_refused()
    {
        var answer = await GraphQLAnswer.PostAsync(server.Client(LimitedServer.EditorToken), """{ __type(name: "tasks") { name } }""", path: "/graphql/system");

        Assert.Equal(Refusal(("__type", 3)), answer.Text);
    }

    [Fact]
    public async Task Typename_notAdmin_answered()
    {
        var answer = await GraphQLAnswer.PostAsync(server.Client(LimitedServer.EditorToken), "{ __typename tasks(limit: 1) { id __typename } }");

        Assert.False(answer.Body.TryGetProperty("errors", out _), answer.Text);
        Assert.Equal("tasks", answer.Body.GetProperty("data").GetProperty("tasks")[0].GetProperty("__typename").GetString());
    }

    [Fact]
    public async Task UnknownField_notAdmin_noSuggestion()
    {
        var answer = await GraphQLAnswer.PostAsync(server.Client(LimitedServer.EditorToken), "{ taks { id } }");

        Assert.Equal(
            """{"errors":[{"message":"GraphQL validation error.","extensions":{"errors":[{"message":"Cannot query field \"taks\" on type \"Query\".","locations":[{"line":1,"column":3}]}],"code":"GRAPHQL_VALIDATION"}}]}""",
            answer.Text);
    }

    [Fact]
    public async Task Admin_introspectionAndSuggestionsKept()
    {
        var schema = await GraphQLAnswer.PostAsync(server.Client(), "{ __schema { queryType { name } } }");
        var unknown = await GraphQLAnswer.PostAsync(server.Client(), "{ taks { id } }");

        Assert.Equal("""{"data":{"__schema":{"queryType":{"name":"Query"}}}}""", schema.Text);
        Assert.Contains("""Cannot query field \"taks\" on type \"Query\". Did you mean \"tasks\"?""", unknown.Text);
    }

    [Theory]
    [InlineData("/graphql?sdl", LimitedServer.EditorToken)]
    [InlineData("/graphql/system?sdl", null)]
    public async Task Sdl_notAdmin_refusedAsIntrospection(string path, string? token)
    {
        using var response = await server.Client(token).GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            """{"errors":[{"message":"GraphQL validation error.","extensions":{"errors":[{"message":"GraphQL introspection has been disabled, but the requested query contained the field \"__schema\"."}],"code":"GRAPHQL_VALIDATION"}}]}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sdl_admin_served()
    {
        using var response = await server.Client().GetAsync("/graphql?sdl");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("type tasks", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Refused_serverKeepsServing()
    {
        await GraphQLAnswer.PostAsync(server.Client(LimitedServer.EditorToken), "{ __schema { types { name } } }");

        var next = await GraphQLAnswer.PostAsync(server.Client(LimitedServer.EditorToken), "{ tasks(limit: 1) { id } }");

        Assert.Equal(1, next.Body.GetProperty("data").GetProperty("tasks").GetArrayLength());
    }
}
