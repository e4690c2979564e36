using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ArtifactGraph.Bench.Load;

/// <summary>
/// One GraphQL request, sent as Directus clients send it: POST /graphql, JSON body, bearer token; or (<see cref="Get"/>)
/// a REST read, whose answer has the same <c>data</c>/<c>errors</c> shape.
/// </summary>
public sealed class GraphQLPost(string query, string path = "graphql")
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly byte[] _body = JsonSerializer.SerializeToUtf8Bytes(new { query });
    private bool _get;

    public string Query { get; } = query;

    /// <summary>A <c>GET</c> of a REST path (relative to the server's address, with its query string).</summary>
    public static GraphQLPost Get(string pathAndQuery) => new("GET /" + pathAndQuery, pathAndQuery) { _get = true };

    public HttpRequestMessage CreateRequest()
    {
        if (_get)
        {
            return new HttpRequestMessage(HttpMethod.Get, path);
        }

        var content = new ByteArrayContent(_body);
        content.Headers.ContentType = Json;
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    /// <summary>Null when the answer is a GraphQL success (<c>data</c>, no <c>errors</c>); else what is wrong with it.</summary>
    public static string? CheckAnswer(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "not a JSON object: " + Preview(body);
            }

            var hasData = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("errors"u8))
                {
                    return "errors: " + Preview(body);
                }

                hasData |= reader.ValueTextEquals("data"u8);
                reader.Read();
                reader.Skip();
            }

            return hasData ? null : "no data: " + Preview(body);
        }
        catch (JsonException ex)
        {
            return $"invalid JSON ({ex.Message}): {Preview(body)}";
        }
    }

    private static string Preview(ReadOnlySpan<byte> body)
        => Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]);
}
