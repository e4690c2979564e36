using System.Net;
using System.Text.Json;
using ArtifactGraph.Tests.Http;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// Found by the bad-input suite: a 1 MB variable holding 100,000 wrongly typed items was answered with 100,000 errors
/// (19 MB, seconds of work). graphql-js's execute stops after 50 and adds one error saying so.
/// </summary>
public sealed class VariableErrorLimitTests(TransportFactory factory) : IClassFixture<TransportFactory>
{
    [Fact]
    public async Task Post_variableWithManyInvalidParts_fiftyErrorsThenTooManyErrors()
    {
        var filter = Enumerable.Range(0, 2_000).ToDictionary(i => $"f{i}", _ => 1);

        var (status, body) = await factory.Admin().PostAsync("query($f: tasks_filter) { tasks(filter: $f) }", new { f = filter });

        Assert.Equal(HttpStatusCode.OK, status);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(51, errors.Count);
        Assert.StartsWith("Variable \"$f\" got invalid value { f0: 1, f1: 1,", errors[0].GetProperty("message").GetString());
        Assert.Equal(
            """{"message":"Too many errors processing variables, error limit reached. Execution aborted.","extensions":{"code":"GRAPHQL_VALIDATION"}}""",
            errors[50].GetRawText());
    }

    [Fact]
    public async Task Post_variableWithFewInvalidParts_everyErrorAndNoLimitError()
    {
        var filter = Enumerable.Range(0, 50).ToDictionary(i => $"f{i}", _ => 1);

        var (status, body) = await factory.Admin().PostAsync("query($f: tasks_filter) { tasks(filter: $f) }", new { f = filter });

        Assert.Equal(HttpStatusCode.OK, status);
        var messages = JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("message").GetString()).ToList();
        Assert.Equal(50, messages.Count);
        Assert.DoesNotContain(messages, m => m!.StartsWith("Too many errors", StringComparison.Ordinal));
    }
}
