using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ArtifactGraph.Tests.Limits;

/// <summary>One GraphQL POST and its answer: the status, the headers, the parsed body and its text (for failure messages).</summary>
internal sealed record GraphQLAnswer(HttpStatusCode Status, HttpResponseHeaders Headers, JsonElement Body, string Text)
{
    public JsonElement Error => Body.GetProperty("errors")[0];

    public string? Code => Error.GetProperty("extensions").GetProperty("code").GetString();

    public static async Task<GraphQLAnswer> PostAsync(HttpClient client, string query, object? variables = null, string path = "/graphql")
    {
        using var response = await client.PostAsJsonAsync(path, new { query, variables });
        var text = await response.Content.ReadAsStringAsync();
        return new GraphQLAnswer(response.StatusCode, response.Headers, JsonDocument.Parse(text).RootElement.Clone(), text);
    }
}
