using System.Text;
using System.Text.Json;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>Builds requests: GraphQL POSTs with raw JSON variables, raw bodies, GETs. Documents lose lone surrogates (see <see cref="KnownIssues"/>).</summary>
internal static class RequestBuilder
{
    public const string Json = "application/json";

    /// <summary>Escapes only what JSON requires, so that a 1 MB string of quotes stays 1 MB.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(object value) => JsonSerializer.Serialize(value, JsonOptions);

    public static BadRequest Post(
        string category, Identity who, string path, string query, string? variablesJson = null, Expectation expect = Expectation.ErrorOrData,
        string? operationName = null)
    {
        var body = new StringBuilder("{\"query\":").Append(Quote(query));
        if (variablesJson is not null)
        {
            body.Append(",\"variables\":").Append(variablesJson);
        }

        if (operationName is not null)
        {
            body.Append(",\"operationName\":").Append(Quote(operationName));
        }

        return Raw(category, who, HttpMethod.Post, path, Encoding.UTF8.GetBytes(body.Append('}').ToString()), Json, expect);
    }

    public static BadRequest Raw(string category, Identity who, HttpMethod method, string path, byte[]? body, string? contentType, Expectation expect)
        => new(category, who, method, path, body, contentType, expect);

    public static BadRequest Get(string category, Identity who, string pathAndQuery, Expectation expect = Expectation.ErrorOrData)
        => new(category, who, HttpMethod.Get, pathAndQuery, null, null, expect);

    /// <summary>A JSON string literal; a lone UTF-16 surrogate becomes U+FFFD so that only the requests meant to carry one do.</summary>
    public static string Quote(string text) => JsonSerializer.Serialize(WithoutLoneSurrogates(text), JsonOptions);

    public static string WithoutLoneSurrogates(string text)
    {
        StringBuilder? fixedText = null;
        for (var i = 0; i < text.Length; i++)
        {
            var paired = char.IsHighSurrogate(text[i]) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                : !char.IsLowSurrogate(text[i]) || (i > 0 && char.IsHighSurrogate(text[i - 1]));
            if (!paired)
            {
                fixedText ??= new StringBuilder(text[..i]);
                fixedText.Append('\uFFFD');
            }
            else
            {
                fixedText?.Append(text[i]);
            }
        }

        return fixedText?.ToString() ?? text;
    }
}
