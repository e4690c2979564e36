using System.Text.Json;
using ArtifactGraph.Data;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// Issue 16: JSON a client sends is read by one reader on every route. A repeated key keeps the last value (as
/// <c>JSON.parse</c> does); a number beyond a double, an unpaired surrogate and nesting past 64 levels are
/// <c>INVALID_PAYLOAD</c>; a byte-order mark is skipped; nothing is ever an internal error, and a refused write writes nothing.
/// </summary>
public sealed class ClientJsonTests
{
    private const string Task4 = "aaaaaaaa-0000-4000-8000-000000000004";
    private const string File1 = "cccccccc-0000-4000-8000-000000000001";

    public static TheoryData<DatabaseClient> Databases => new() { DatabaseClient.Sqlite, DatabaseClient.Postgres };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task GraphQL_repeatedKeys_lastWins_inVariablesAndMutationInputs(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);

        var (status, body) = await live.SendJsonAsync(HttpMethod.Post, "/graphql",
            """{"query":"query($id: ID!) { tasks_by_id(id: $id) { id } }","variables":{"id":"nope","id":"TASK4"},"query":"query($id: ID!) { tasks_by_id(id: $id) { id } }"}""".Replace("TASK4", Task4, StringComparison.Ordinal));
        Assert.Equal(200, status);
        Assert.Equal("""{"data":{"tasks_by_id":{"id":"TASK4"}}}""".Replace("TASK4", Task4, StringComparison.Ordinal), body.GetRawText());

        (status, body) = await live.SendJsonAsync(HttpMethod.Post, "/graphql", """
            {"query":"mutation($d: create_projects_input!) { create_projects_item(data: $d) { name context } }",
             "variables":{"d":{"name":"first","context_version":1,"name":"second","context":{"a":1,"__proto__":{"x":1},"constructor":2,"a":{"b":[1,{"c":1,"c":3}]}}}}}
            """);
        Assert.Equal(200, status);
        Assert.Equal("""{"data":{"create_projects_item":{"name":"second","context":{"a":{"b":[1,{"c":3}]},"__proto__":{"x":1},"constructor":2}}}}""", body.GetRawText());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task GraphQL_numbersBeyondADouble_invalidPayload_nothingWritten(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);
        var projects = await live.Database.CountAsync("projects");

        foreach (var number in new[] { "1e400", "-1e400", "1e309" })
        {
            await AssertErrorAsync(live, "/graphql", """{"query":"query($v: Int) { tasks(limit: $v) { id } }","variables":{"v":NUMBER}}""".Replace("NUMBER", number, StringComparison.Ordinal),
                400, "INVALID_PAYLOAD", $"Invalid payload. The number {number} is out of range.");
            await AssertErrorAsync(live, "/graphql",
                """{"query":"mutation($c: JSON) { create_projects_item(data: { name: \"n\", context_version: 1, context: $c }) { id } }","variables":{"c":{"deep":[NUMBER]}}}""".Replace("NUMBER", number, StringComparison.Ordinal),
                400, "INVALID_PAYLOAD", $"Invalid payload. The number {number} is out of range.");
        }

        await AssertErrorAsync(live, "/graphql",
            """{"query":"mutation { create_projects_item(data: { name: \"n\", context_version: 1, context: { a: 1e400 } }) { id } }"}""",
            400, "GRAPHQL_VALIDATION", "GraphQL validation error.");
        Assert.Equal(projects, await live.Database.CountAsync("projects"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task GraphQL_variableInsideAJsonLiteral_isAValidationError_notAnInternalOne(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);

        var (status, body) = await live.SendJsonAsync(HttpMethod.Post, "/graphql",
            """{"query":"query($v: String) { artifact_versions(filter: { content: { _json: { title: { _eq: $v } } } }) { id } }","variables":{"v":"Requirements"}}""");
        Assert.Equal(400, status);
        Assert.Equal("GRAPHQL_VALIDATION", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());

        // The whole filter as one variable works.
        (status, body) = await live.SendJsonAsync(HttpMethod.Post, "/graphql",
            """{"query":"query($f: artifact_versions_filter) { artifact_versions(filter: $f, sort: [\"id\"]) { id } }","variables":{"f":{"content":{"_json":{"title":{"_eq":"Schema"}}}}}}""");
        Assert.Equal(200, status);
        Assert.Equal(2, body.GetProperty("data").GetProperty("artifact_versions").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task GraphQL_variableValueOfTheWrongType_isAValidationError_notAnInternalOne(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);

        var (status, body) = await live.SendJsonAsync(HttpMethod.Post, "/graphql", """{"query":"query($v: Int) { tasks(limit: $v) { id } }","variables":{"v":"Infinity"}}""");
        Assert.Equal(200, status);
        Assert.Equal(
            """{"errors":[{"message":"Variable \"$v\" got invalid value \"Infinity\"; Int cannot represent non-integer value: \"Infinity\"","extensions":{"code":"GRAPHQL_VALIDATION"},"locations":[{"line":1,"column":7}]}]}""",
            body.GetRawText());

        // Without the administrator's rights the text stays hidden, as Directus hides graphql-js's request errors.
        (status, body) = await live.SendJsonAsync(HttpMethod.Post, "/graphql", """{"query":"query($v: Boolean!) { __typename @include(if: $v) }","variables":{"v":"Infinity"}}""", token: null);
        Assert.Equal(200, status);
        Assert.Equal("""{"errors":[{"message":"GraphQL validation error.","extensions":{"code":"GRAPHQL_VALIDATION"}}]}""", body.GetRawText());

        // A mutation sent by a caller whose schema has none (graphql-js: "Schema is not configured to execute mutation operation.").
        (status, body) = await live.SendJsonAsync(HttpMethod.Post, "/graphql", """{"query":"mutation { create_tasks_item(data: { title: \"x\" }) { id } }"}""", token: null);
        Assert.Equal(200, status);
        Assert.Equal("""{"errors":[{"message":"GraphQL validation error.","extensions":{"code":"GRAPHQL_VALIDATION"}}]}""", body.GetRawText());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task PatchFile_repeatedKeysAndOddJson_lastWins_orInvalidPayload(DatabaseClient client)
    {
        await using var live = await LiveServer.StartAsync(client);
        var path = $"/files/{File1}";

        var (status, body) = await live.SendJsonAsync(HttpMethod.Patch, path,
            "\uFEFF" + """{"title":"a","metadata":{"k":1,"k":{"__proto__":"p"}},"title":"b","tags":["x"],"tags":null}""");
        Assert.Equal(200, status);
        var row = body.GetProperty("data");
        Assert.Equal("b", row.GetProperty("title").GetString());
        Assert.Equal("""{"k":{"__proto__":"p"}}""", row.GetProperty("metadata").GetRawText());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("tags").ValueKind);

        // Inside a JSON value a NUL and a long string are data like any other (the column is json on PostgreSQL, not jsonb).
        var longText = new string('x', 100_000);
        (status, body) = await live.SendJsonAsync(HttpMethod.Patch, path, "{\"metadata\":{\"nul\":\"a\\u0000b\",\"long\":\"" + longText + "\"}}");
        Assert.Equal(200, status);
        Assert.Equal("a\0b", body.GetProperty("data").GetProperty("metadata").GetProperty("nul").GetString());
        Assert.Equal(longText, body.GetProperty("data").GetProperty("metadata").GetProperty("long").GetString());

        var before = await live.Database.QueryAsync($"SELECT title FROM directus_files WHERE id = '{File1}'");
        foreach (var number in new[] { "1e400", "-1e400", "1e309" })
        {
            await AssertErrorAsync(live, path, """{"title":"c","width":NUMBER}""".Replace("NUMBER", number, StringComparison.Ordinal), 400, "INVALID_PAYLOAD", $"Invalid payload. The number {number} is out of range.", HttpMethod.Patch);
            await AssertErrorAsync(live, path, """{"title":"c","metadata":{"x":[NUMBER]}}""".Replace("NUMBER", number, StringComparison.Ordinal), 400, "INVALID_PAYLOAD", $"Invalid payload. The number {number} is out of range.", HttpMethod.Patch);
        }

        await AssertErrorAsync(live, path, """{"title":"c","width":99999999999999999999999999999999}""", 400, "VALUE_OUT_OF_RANGE", null, HttpMethod.Patch);
        await AssertErrorAsync(live, path, """{"title":"c\ud800"}""", 400, "INVALID_PAYLOAD",
            "Invalid payload. The JSON holds a string with an unpaired surrogate escape.", HttpMethod.Patch);
        await AssertErrorAsync(live, path, """{"title":"c\u0000"}""", 400, "INVALID_PAYLOAD", null, HttpMethod.Patch);
        await AssertErrorAsync(live, path, "{\"metadata\":" + new string('[', 5_000) + new string(']', 5_000) + "}", 400, "INVALID_PAYLOAD",
            "Invalid payload. The JSON is nested more than 64 levels deep.", HttpMethod.Patch);
        await AssertErrorAsync(live, path, "{\"title\":\"" + new string('x', 300) + "\"}", 400, "VALUE_TOO_LONG", null, HttpMethod.Patch);
        foreach (var wrong in new[] { "[]", "1", "\"t\"", "null", """{"title":{"a":1}}""", """{"width":"wide"}""" })
        {
            await AssertErrorAsync(live, path, wrong, 400, "INVALID_PAYLOAD", null, HttpMethod.Patch);
        }

        Assert.Equal(before, await live.Database.QueryAsync($"SELECT title FROM directus_files WHERE id = '{File1}'"));
    }

    private static async Task AssertErrorAsync(
        LiveServer live, string path, string json, int status, string code, string? message, HttpMethod? method = null)
    {
        var (answered, body) = await live.SendJsonAsync(method ?? HttpMethod.Post, path, json);
        Assert.True(body.TryGetProperty("errors", out var errors), $"{json[..Math.Min(json.Length, 120)]}: {answered} {body.GetRawText()}");
        var error = errors[0];
        Assert.True(answered == status && error.GetProperty("extensions").GetProperty("code").GetString() == code,
            $"{json[..Math.Min(json.Length, 120)]}: {answered} {body.GetRawText()}");
        if (message is not null)
        {
            Assert.Equal(message, error.GetProperty("message").GetString());
        }
    }
}
