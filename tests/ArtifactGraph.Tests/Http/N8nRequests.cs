using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ArtifactGraph.Tests.Http;

/// <summary>
/// The requests n8n's GraphQL node (versions 1 and 1.1) sends, header for header (docs: shared/spec/clients.md §A), and
/// the way it reads answers: any status is read as a body; a body that is not JSON, or has a truthy <c>errors</c>,
/// fails the node with the messages joined by ", ".
/// </summary>
internal static class N8nRequests
{
    /// <summary>POST with Request Format JSON: <c>{"query", "variables", "operationName"}</c>, plus any Custom Auth body keys.</summary>
    public static HttpRequestMessage Json(string url, string query, JsonObject? variables = null, string? operationName = null,
        IReadOnlyDictionary<string, JsonNode?>? customAuthBody = null)
    {
        var body = new JsonObject { ["query"] = query, ["variables"] = variables ?? [], ["operationName"] = operationName };
        foreach (var (key, value) in customAuthBody ?? new Dictionary<string, JsonNode?>())
        {
            body[key] = value?.DeepClone();
        }

        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent(body.ToJsonString()) };
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, compress, deflate, br");
        return request;
    }

    /// <summary>POST with Request Format GraphQL (Raw): the query text as the body, axios's default Accept.</summary>
    public static HttpRequestMessage Raw(string url, string query)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(query));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/graphql");
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        return request;
    }

    /// <summary>GET: the query in <c>?query=</c>, and still the JSON body and JSON headers of the JSON format.</summary>
    public static HttpRequestMessage Get(string url, string query)
    {
        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var request = new HttpRequestMessage(HttpMethod.Get, $"{url}{separator}query={Uri.EscapeDataString(query)}")
        {
            Content = JsonContent(new JsonObject { ["query"] = query, ["variables"] = new JsonObject(), ["operationName"] = null }.ToJsonString()),
        };
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        return request;
    }

    /// <summary>The same request with another body, as a user header overriding Content-Type (or a broken template) makes it.</summary>
    public static HttpRequestMessage WithBody(this HttpRequestMessage request, string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Content = content;
        return request;
    }

    public static HttpRequestMessage WithHeader(this HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    /// <summary>What the node makes of an answer, in JSON response format: the item it outputs, or the error it fails with.</summary>
    public static async Task<N8nOutcome> RunNodeAsync(this HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            var text = await response.Content.ReadAsStringAsync();
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                return new N8nOutcome(response.StatusCode, text, null, "Response body is not valid JSON. Change \"Response Format\" to \"String\"");
            }

            var errors = json?["errors"];
            var failure = errors is JsonArray { Count: > 0 } list
                ? string.Join(", ", list.Select(e => e is JsonValue v ? v.ToString() : e?["message"]?.GetValue<string>()))
                : errors is null or JsonValue ? null : errors.ToJsonString();
            return new N8nOutcome(response.StatusCode, text, failure is null ? json : null, failure);
        }
    }

    private static ByteArrayContent JsonContent(string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        return content;
    }
}

/// <summary>An answer as the n8n node sees it: <see cref="Item"/> when it succeeds, <see cref="Failure"/> when it fails.</summary>
internal sealed record N8nOutcome(HttpStatusCode Status, string Body, JsonNode? Item, string? Failure)
{
    /// <summary>The item's <c>data</c>, failing the test with the node's error message when the node would fail.</summary>
    public JsonNode Data => Item?["data"] ?? throw new Xunit.Sdk.XunitException($"n8n would fail ({Status}): {Failure ?? Body}");

    /// <summary>In String response format the node still fails on a body that starts with <c>{"errors":</c>.</summary>
    public bool FailsInStringFormat => Body.StartsWith("{\"errors\":", StringComparison.Ordinal);
}
