using System.Net;
using System.Net.Http.Json;
using ArtifactGraph.Tests.Infrastructure;
using ArtifactGraph.Tests.Limits;

namespace ArtifactGraph.Tests.Http;

/// <summary>
/// A document sent again is parsed and validated once (the document cache) and, when it is a plain read, answered by
/// the direct read path. Over HTTP nothing may show it: the same answers byte for byte, variables coerced on every
/// request, validation kept per schema (per caller's permissions) and per operation.
/// </summary>
[Collection(SeededServerCollection.Name)]
public sealed class RepeatedDocumentTests(SeededServer server)
{
    [Fact]
    public async Task The_same_read_sent_again_gets_the_same_bytes_and_headers()
    {
        const string query = """{ artifact_versions(sort: ["id"]) { id status content files { sort directus_files_id { id filename_download } } primary_file_id { id } } }""";
        using var client = server.Client();

        var answers = new List<(HttpStatusCode Status, string? Type, long? Length, byte[] Body)>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostAsJsonAsync("/graphql", new { query });
            answers.Add((response.StatusCode, response.Content.Headers.ContentType?.ToString(), response.Content.Headers.ContentLength,
                await response.Content.ReadAsByteArrayAsync()));
        }

        Assert.Equal(HttpStatusCode.OK, answers[0].Status);
        Assert.Equal("application/json; charset=utf-8", answers[0].Type);
        Assert.Equal(answers[0].Body.Length, answers[0].Length);
        Assert.StartsWith("{\"data\":{\"artifact_versions\":[{", System.Text.Encoding.UTF8.GetString(answers[0].Body));
        Assert.All(answers.Skip(1), a =>
        {
            Assert.Equal(answers[0].Status, a.Status);
            Assert.Equal(answers[0].Type, a.Type);
            Assert.Equal(answers[0].Length, a.Length);
            Assert.Equal(answers[0].Body, a.Body);
        });
    }

    [Fact]
    public async Task Variables_are_coerced_on_every_request_of_a_cached_document()
    {
        const string query = "query Q($l: Int) { tasks(limit: $l, sort: [\"id\"]) { id } }";
        using var client = server.Client();

        var one = await GraphQLAnswer.PostAsync(client, query, new { l = 1 });
        var bad = await GraphQLAnswer.PostAsync(client, query, new { l = "many" });
        var two = await GraphQLAnswer.PostAsync(client, query, new { l = 2 });

        Assert.Equal(1, one.Body.GetProperty("data").GetProperty("tasks").GetArrayLength());
        Assert.Contains("Variable \\\"$l\\\"", bad.Text);
        Assert.False(bad.Body.TryGetProperty("data", out _), bad.Text);
        Assert.Equal(2, two.Body.GetProperty("data").GetProperty("tasks").GetArrayLength());
    }

    [Fact]
    public async Task A_document_valid_for_one_caller_is_still_validated_for_another()
    {
        const string query = "{ tasks(limit: 1) { id } }";

        var admin = await GraphQLAnswer.PostAsync(server.Client(), query);
        var visitor = await GraphQLAnswer.PostAsync(server.Client(token: null), query);
        var adminAgain = await GraphQLAnswer.PostAsync(server.Client(), query);

        Assert.Equal(1, admin.Body.GetProperty("data").GetProperty("tasks").GetArrayLength());
        // The public has no permissions: its schema has no tasks, whatever the admin's requests left in the cache.
        Assert.Equal(HttpStatusCode.BadRequest, visitor.Status);
        Assert.Equal("GRAPHQL_VALIDATION", visitor.Code);
        Assert.Equal(admin.Text, adminAgain.Text);
    }

    [Fact]
    public async Task An_invalid_document_sent_again_is_rejected_again()
    {
        const string query = "{ tasks { id no_such_field } }";
        using var client = server.Client();

        var first = await GraphQLAnswer.PostAsync(client, query);
        var second = await GraphQLAnswer.PostAsync(client, query);

        Assert.Equal(HttpStatusCode.BadRequest, first.Status);
        Assert.Equal("GRAPHQL_VALIDATION", first.Code);
        Assert.Equal(first.Status, second.Status);
        Assert.Equal(first.Text, second.Text);
    }

    [Fact]
    public async Task Each_operation_of_a_cached_document_answers_for_itself()
    {
        const string document = "query A { tasks(limit: 1, sort: [\"id\"]) { id } } query B { projects(limit: 1, sort: [\"id\"]) { name } }";
        using var client = server.Client();

        for (var round = 0; round < 2; round++)
        {
            using var a = await client.PostAsJsonAsync("/graphql", new { query = document, operationName = "A" });
            using var b = await client.PostAsJsonAsync("/graphql", new { query = document, operationName = "B" });
            Assert.StartsWith("{\"data\":{\"tasks\":[{\"id\":", await a.Content.ReadAsStringAsync());
            Assert.StartsWith("{\"data\":{\"projects\":[{\"name\":", await b.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_read_whose_answer_has_an_error_keeps_the_engine_answer_when_sent_again()
    {
        // Unknown key: Directus answers FORBIDDEN for the field, with data null for it, every time.
        const string query = """{ tasks(limit: 1) { id } tasks_by_id(id: "00000000-0000-4000-8000-000000000000") { id } }""";
        using var client = server.Client();

        var first = await GraphQLAnswer.PostAsync(client, query);
        var second = await GraphQLAnswer.PostAsync(client, query);

        Assert.Equal("FORBIDDEN", first.Code);
        Assert.Equal(first.Text, second.Text);
    }
}
