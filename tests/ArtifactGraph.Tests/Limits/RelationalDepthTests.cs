using System.Net;
using System.Text.Json;
using ArtifactGraph.Tests.Infrastructure;

namespace ArtifactGraph.Tests.Limits;

/// <summary>
/// <c>MAX_RELATIONAL_DEPTH</c> (10 by default) over a query's selection, its filters and its sorts, counted as Directus's
/// <c>validateQuery</c> counts after <c>getQuery</c>: <c>files.directus_files_id.folder.name</c> is 4. A root field that
/// reaches deeper is that field's INVALID_QUERY error (HTTP 200); the other root fields are answered.
/// </summary>
[Collection(SeededServerCollection.Name)]
public sealed class RelationalDepthTests(SeededServer server)
{
    private const string DepthError =
        """{"message":"Invalid query. Max relational depth exceeded.","extensions":{"reason":"Max relational depth exceeded","code":"INVALID_QUERY"}""";

    /// <summary><c>files { directus_files_id { folder { parent … { name } } } }</c>: a field path of <paramref name="segments"/> fields.</summary>
    private static string FilesPath(int segments)
    {
        var relations = new[] { "files", "directus_files_id", "folder" }.Concat(Enumerable.Repeat("parent", segments - 4)).ToList();
        return string.Concat(relations.Select(r => r + " { ")) + "name __typename" + string.Concat(relations.Select(_ => " }"));
    }

    /// <summary>A filter on artifact_versions of <paramref name="depth"/> levels: primary_file_id → folder → parent… → name.</summary>
    private static string FilterOfDepth(int depth)
    {
        var fields = new[] { "primary_file_id", "folder" }.Concat(Enumerable.Repeat("parent", depth - 3)).Append("name").ToList();
        return string.Concat(fields.Select(f => "{ " + f + ": ")) + """{ _eq: "x" }""" + string.Concat(fields.Select(_ => " }"));
    }

    [Fact]
    public async Task Selection_deeperThanMax_thatRootFieldInvalidQuery_othersAnswered()
    {
        var query = $$"""{ projects(limit: 1) { id } artifact_versions_by_id(id: "{{Guid.NewGuid()}}") { id {{FilesPath(11)}} } }""";

        var answer = await GraphQLAnswer.PostAsync(server.Client(), query);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var expected = """{"errors":[""" + DepthError + ""","locations":[{"line":1,"column":29}],"path":["artifact_versions_by_id"]}],""";
        Assert.Equal(expected, answer.Text[..expected.Length]);
        Assert.Equal(1, answer.Body.GetProperty("data").GetProperty("projects").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, answer.Body.GetProperty("data").GetProperty("artifact_versions_by_id").ValueKind);

        var next = await GraphQLAnswer.PostAsync(server.Client(), "{ projects(limit: 1) { id } }");
        Assert.False(next.Body.TryGetProperty("errors", out _), next.Text);
    }

    [Fact]
    public async Task Selection_atMax_answered()
    {
        var answer = await GraphQLAnswer.PostAsync(server.Client(), $"{{ artifact_versions(limit: 2) {{ id {FilesPath(10)} }} }}");

        Assert.False(answer.Body.TryGetProperty("errors", out _), answer.Text);
        Assert.Equal(2, answer.Body.GetProperty("data").GetProperty("artifact_versions").GetArrayLength());
    }

    [Fact]
    public async Task Selection_nonNullRootListTooDeep_noData()
    {
        var answer = await GraphQLAnswer.PostAsync(server.Client(), $"{{ artifact_versions {{ {FilesPath(11)} }} }}");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("""{"errors":[""" + DepthError, answer.Text);
        Assert.Equal("artifact_versions", answer.Error.GetProperty("path")[0].GetString());
        Assert.False(answer.Body.TryGetProperty("data", out _), answer.Text);
    }

    [Fact]
    public async Task Introspection_deeperThanMax_notCounted()
    {
        var ofType = string.Concat(Enumerable.Repeat("ofType { ", 10)) + "name" + string.Concat(Enumerable.Repeat(" }", 10));
        var answer = await GraphQLAnswer.PostAsync(server.Client(), $"{{ __schema {{ types {{ fields {{ type {{ {ofType} }} }} }} }} }}");

        Assert.False(answer.Body.TryGetProperty("errors", out _), answer.Text);
    }

    [Fact]
    public async Task Fragments_expandedBeforeCounting()
    {
        var query = $$"""
            { artifact_versions(limit: 1) { ...Deep } }
            fragment Deep on artifact_versions { files { ...File } }
            fragment File on artifact_files { directus_files_id { folder { {{string.Concat(Enumerable.Repeat("parent { ", 7))}} name {{new string('}', 7)}} } } }
            """;

        var answer = await GraphQLAnswer.PostAsync(server.Client(), query);

        Assert.Equal("INVALID_QUERY", answer.Code);
    }

    [Theory]
    [InlineData(10, null)]
    [InlineData(11, "INVALID_QUERY")]
    public async Task Filter_root_countsFieldLevels(int depth, string? code)
    {
        var answer = await GraphQLAnswer.PostAsync(server.Client(), $"{{ artifact_versions(filter: {FilterOfDepth(depth)}) {{ id }} }}");

        Assert.True(code is null ? !answer.Body.TryGetProperty("errors", out _) : answer.Code == code, answer.Text);
    }

    [Fact]
    public async Task Filter_nestedInVariable_countsItsRelationPath()
    {
        // files (1) + directus_files_id → folder → parent ×7 → name (10) = 11.
        var filter = JsonSerializer.Deserialize<JsonElement>("""{"directus_files_id":{"folder":""" + string.Concat(Enumerable.Repeat("""{"parent":""", 7))
            + """{"name":{"_eq":"x"}}""" + new string('}', 7) + "}}");
        var query = "query($f: artifact_files_filter) { artifact_versions(limit: 1) { id files(filter: $f) { id } } }";

        var answer = await GraphQLAnswer.PostAsync(server.Client(), query, new { f = filter });

        Assert.StartsWith("""{"errors":[""" + DepthError, answer.Text);
    }

    [Theory]
    [InlineData(6, null)]
    [InlineData(7, "INVALID_QUERY")]
    public async Task Sort_nested_countsItsRelationPath(int parents, string? code)
    {
        // files (1) + directus_files_id.folder.parent….name (3 + parents).
        var sort = "directus_files_id.folder." + string.Concat(Enumerable.Repeat("parent.", parents)) + "name";
        var answer = await GraphQLAnswer.PostAsync(server.Client(), $$"""{ artifact_versions(limit: 1) { id files(sort: ["-{{sort}}"]) { id } } }""");

        Assert.True(code is null ? !answer.Body.TryGetProperty("errors", out _) : answer.Code == code, answer.Text);
    }

    [Fact]
    public async Task Mutation_tooDeep_refusedBeforeWriting()
    {
        var before = await GraphQLAnswer.PostAsync(server.Client(), "{ tasks(limit: 1, sort: [\"id\"]) { id title } }");
        var task = before.Body.GetProperty("data").GetProperty("tasks")[0];
        var id = task.GetProperty("id").GetString();
        var query = $$"""mutation { update_tasks_item(id: "{{id}}", data: { title: "too deep" }) { artifacts { artifact_version_id { {{FilesPath(10)}} } } } }""";

        var answer = await GraphQLAnswer.PostAsync(server.Client(), query);
        var after = await GraphQLAnswer.PostAsync(server.Client(), $$"""{ tasks_by_id(id: "{{id}}") { title } }""");

        Assert.StartsWith("""{"errors":[""" + DepthError, answer.Text);
        Assert.Equal(task.GetProperty("title").GetString(), after.Body.GetProperty("data").GetProperty("tasks_by_id").GetProperty("title").GetString());
    }
}
