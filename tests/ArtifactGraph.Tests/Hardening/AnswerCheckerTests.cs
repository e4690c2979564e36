using System.Text;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>The bad-input suite's assertions themselves: what they let through and what they catch.</summary>
public sealed class AnswerCheckerTests
{
    private static readonly Dictionary<string, string> NoBaselines = [];

    [Theory]
    [InlineData(400, """{"errors":[{"message":"GraphQL validation error.","extensions":{"errors":[{"message":"Syntax Error: Unexpected <EOF>.","locations":[{"line":1,"column":3}]}],"code":"GRAPHQL_VALIDATION"}}]}""")]
    [InlineData(200, """{"errors":[{"message":"Variable \"$l\" got invalid value \"x\"; Int cannot represent non-integer value: \"x\"","extensions":{"code":"GRAPHQL_VALIDATION"},"locations":[{"line":1,"column":7}]}]}""")]
    [InlineData(200, """{"errors":[{"message":"You don't have permission to access this.","extensions":{"code":"FORBIDDEN"},"path":["tasks_by_id"]}],"data":{"tasks_by_id":null}}""")]
    [InlineData(413, """{"errors":[{"message":"Uploaded content is too large.","extensions":{"code":"CONTENT_TOO_LARGE"}}]}""")]
    public void Check_wellFormedErrors_pass(int status, string body)
        => Assert.Empty(AnswerChecker.Check(Request(Identity.Admin, Expectation.Error), Answer(status, body), NoBaselines));

    [Theory]
    [InlineData(500, """{"errors":[{"message":"An unexpected error occurred.","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}""", "status 500")]
    [InlineData(200, """{"errors":[{"message":"An unexpected error occurred.","extensions":{"code":"INTERNAL_SERVER_ERROR"},"path":["tasks"]}],"data":{"tasks":null}}""", "unexpected error")]
    [InlineData(200, """{"errors":[{"message":"boom","extensions":{"code":"INTERNAL_SERVER_ERROR"},"path":["tasks"]}]}""", "unexpected error")]
    [InlineData(200, """{"errors":[{"message":"Variable \"$l\" got invalid value \"x\"; Int cannot represent non-integer value: \"x\"","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}""", "unexpected error")]
    [InlineData(200, """{"errors":[{"message":"x","extensions":{"code":"NOT_A_DIRECTUS_CODE"}}]}""", "not in Directus's catalogue")]
    [InlineData(400, """{"errors":[{"message":"x","extensions":{"code":"FORBIDDEN"}}]}""", "answered with status 400")]
    [InlineData(200, """{"errors":[{"message":"x"}]}""", "without extensions.code")]
    [InlineData(200, """{"errors":[]}""", "non-empty array")]
    [InlineData(200, """{}""", "neither 'errors' nor 'data'")]
    [InlineData(200, """{"data":{"tasks":[]}}""", "without errors")]
    [InlineData(200, """not json""", "not JSON")]
    [InlineData(200, """{"errors":[{"message":"SQLite Error 1: 'no such column: x'.","extensions":{"code":"INVALID_QUERY"}}]}""", "SQLite Error")]
    [InlineData(200, """{"errors":[{"message":"Failed near SELECT \"t\".\"id\" FROM \"tasks\"","extensions":{"code":"INVALID_QUERY"}}]}""", "SELECT")]
    [InlineData(200, """{"errors":[{"message":"x   at ArtifactGraph.Server.X.Y() in /src/x.cs:line 3","extensions":{"code":"INVALID_QUERY"}}]}""", ".cs:line")]
    [InlineData(400, """{"errors":[{"message":"GraphQL validation error.","extensions":{"errors":[{"message":"System.InvalidOperationException: x"}],"code":"GRAPHQL_VALIDATION"}}]}""", ".NET type")]
    public void Check_brokenAnswers_fail(int status, string body, string expected)
    {
        var problems = AnswerChecker.Check(Request(Identity.Admin, Expectation.Error), Answer(status, body), NoBaselines);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_messageNamingAFolderOfThisMachine_fails()
    {
        var message = $"Could not open {Path.Combine(Path.GetTempPath(), "artifactgraph", "test.db")}";
        var body = "{\"errors\":[{\"message\":" + System.Text.Json.JsonSerializer.Serialize(message) + ",\"extensions\":{\"code\":\"INVALID_QUERY\"}}]}";

        Assert.Contains(AnswerChecker.Check(Request(Identity.Admin, Expectation.Error), Answer(200, body), NoBaselines), p => p.Contains("message holds", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_messageRepeatingTheRequest_isNotALeak()
    {
        var request = RequestBuilder.Post("t", Identity.Admin, "/graphql", "{ tasks(sort: [\"x' UNION SELECT token FROM directus_users --\"]) { id } }");
        var answer = Answer(200, """{"errors":[{"message":"You don't have permission to access field \"x' UNION SELECT token FROM directus_users --\" in collection \"tasks\" or it does not exist. Queried in root.","extensions":{"code":"FORBIDDEN"},"path":["tasks"]}]}""");

        Assert.Empty(AnswerChecker.Check(request, answer, NoBaselines));
    }

    [Fact]
    public void Check_nonAdmin_requestErrorPasses_maskedInternalErrorAndCollectionDataFail()
    {
        var requestError = Answer(200, """{"errors":[{"message":"GraphQL validation error.","extensions":{"code":"GRAPHQL_VALIDATION"}}]}""");
        var masked = Answer(200, """{"errors":[{"message":"An unexpected error occurred.","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}""");
        var leak = Answer(200, """{"data":{"__schema":{"types":[{"name":"Query"},{"name":"directus_users"}]}}}""");
        var seedValue = Answer(200, """{"errors":[{"message":"x","extensions":{"code":"FORBIDDEN"}}],"data":{"x":"Apollo"}}""");

        Assert.Empty(AnswerChecker.Check(Request(Identity.Public, Expectation.Error), requestError, NoBaselines));
        Assert.Contains(AnswerChecker.Check(Request(Identity.Public, Expectation.Error), masked, NoBaselines), p => p.Contains("unexpected error", StringComparison.Ordinal));
        Assert.Contains(AnswerChecker.Check(Request(Identity.Public, Expectation.ErrorOrData), leak, NoBaselines), p => p.Contains("collection data", StringComparison.Ordinal));
        Assert.Contains(AnswerChecker.Check(Request(Identity.Public, Expectation.ErrorOrData), seedValue, NoBaselines), p => p.Contains("collection data", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_expectedStatusAndBaseline_areCompared()
    {
        var request = Request(Identity.UnknownToken, Expectation.Error) with { ExpectedStatus = 401 };
        var control = Request(Identity.Admin, Expectation.SameAsBaseline) with { BaselineKey = "k" };

        Assert.Contains(AnswerChecker.Check(request, Answer(400, """{"errors":[{"message":"x","extensions":{"code":"INVALID_PAYLOAD"}}]}"""), NoBaselines), p => p.Contains("expected 401", StringComparison.Ordinal));
        Assert.Empty(AnswerChecker.Check(control, Answer(200, """{"data":{"a":1}}"""), new Dictionary<string, string> { ["k"] = """{"data":{"a":1}}""" }));
        Assert.NotEmpty(AnswerChecker.Check(control, Answer(200, """{"data":{"a":2}}"""), new Dictionary<string, string> { ["k"] = """{"data":{"a":1}}""" }));
    }

    [Fact]
    public void Check_noAnswerOrHtml_fails()
    {
        var request = Request(Identity.Admin, Expectation.ErrorOrData);

        Assert.NotEmpty(AnswerChecker.Check(request, new Answer(0, null, [], TimeSpan.Zero, "no answer within 60 s (a hang)"), NoBaselines));
        Assert.Contains(AnswerChecker.Check(request, new Answer(200, "text/html", Encoding.UTF8.GetBytes("{\"data\":{}}"), TimeSpan.Zero), NoBaselines), p => p.Contains("Content-Type", StringComparison.Ordinal));
    }

    private static BadRequest Request(Identity who, Expectation expect) => RequestBuilder.Post("test", who, "/graphql", "{ tasks { id } }", expect: expect);

    private static Answer Answer(int status, string body) => new(status, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(body), TimeSpan.Zero);
}
