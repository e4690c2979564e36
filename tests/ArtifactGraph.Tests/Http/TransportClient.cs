using System.Net;
using System.Text.Json;

namespace ArtifactGraph.Tests.Http;

internal static class TransportClient
{
    public static async Task<(HttpStatusCode Status, string Body)> PostAsync(this HttpClient client, string query, object? variables = null, string path = "/graphql")
    {
        var body = JsonSerializer.Serialize(new { query, variables });
        return await client.SendRawAsync(HttpMethod.Post, path, TransportFactory.Json(body));
    }

    public static async Task<(HttpStatusCode Status, string Body)> SendRawAsync(this HttpClient client, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The one validation envelope Directus answers with, around graphql-js errors given as compact JSON.</summary>
    public static string Validation(string innerErrors)
        => "{\"errors\":[{\"message\":\"GraphQL validation error.\",\"extensions\":{\"errors\":" + innerErrors + ",\"code\":\"GRAPHQL_VALIDATION\"}}]}";
}
