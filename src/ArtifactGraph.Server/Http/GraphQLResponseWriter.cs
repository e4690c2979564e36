using System.Text.Encodings.Web;
using System.Text.Json;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.GraphQL.Validation;
using GraphQL;
using GraphQL.SystemTextJson;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// Writes Directus's response bodies, compact, <c>errors</c> before <c>data</c>, <c>data</c> only when not null
/// (<c>"data": null</c> too for graphql-response+json, as the GraphQL spec has it). The content type is the one
/// <see cref="ResponseMediaTypes"/> chose for the request. The data itself is written by GraphQL.NET's serializer
/// (no naming policy, so aliases stay as asked).
/// </summary>
internal static class GraphQLResponseWriter
{
    // Directus (JSON.stringify) escapes only what JSON requires; so do we, the body is never HTML.
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    // Deep answers are legitimate (MAX_RELATIONAL_DEPTH and the parser bound them): not System.Text.Json's default of 64.
    private static readonly GraphQLSerializer Serializer = new(o =>
    {
        o.Encoder = Encoder;
        o.MaxDepth = 1024;
    });
    private static readonly JsonSerializerOptions ValueOptions = new() { Encoder = Encoder };

    public static Task WriteErrorsAsync(HttpContext context, int status, IReadOnlyList<ResponseError> errors, CancellationToken cancellationToken)
        => WriteAsync(context, status, errors, null, cancellationToken);

    public static Task WriteValidationAsync(HttpContext context, IReadOnlyList<GraphQLJsError> errors, CancellationToken cancellationToken)
        => WriteErrorsAsync(context, 400,
            [new ResponseError("GraphQL validation error.", [new("errors", errors), new("code", "GRAPHQL_VALIDATION")])],
            cancellationToken);

    public static async Task WriteAsync(
        HttpContext context, int status, IReadOnlyList<ResponseError> errors, ExecutionResult? result, CancellationToken cancellationToken)
    {
        var mediaType = ResponseMediaTypes.Get(context);
        var body = Render(errors, result, keepNullData: mediaType == ResponseMediaType.GraphQLResponseJson);
        context.Response.StatusCode = status;
        context.Response.ContentType = ResponseMediaTypes.ContentType(mediaType);
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, cancellationToken);
    }

    /// <summary>
    /// The compact JSON body: <c>errors</c> (already shaped) first, then GraphQL.NET's <c>data</c>; a null <c>data</c> of an
    /// executed operation is written only when <paramref name="keepNullData"/> (Directus leaves it out).
    /// </summary>
    public static byte[] Render(IReadOnlyList<ResponseError> errors, ExecutionResult? result, bool keepNullData = false)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder }))
        {
            writer.WriteStartObject();
            if (errors.Count > 0)
            {
                writer.WritePropertyName("errors");
                writer.WriteStartArray();
                foreach (var error in errors)
                {
                    WriteError(writer, error);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return Splice(buffer.ToArray(), result, keepNullData);
    }

    /// <summary>Appends GraphQL.NET's <c>"data"</c>/<c>"extensions"</c> after our <c>"errors"</c>.</summary>
    private static byte[] Splice(byte[] errorsObject, ExecutionResult? result, bool keepNullData)
    {
        var writeData = result is not null && (result.Data is not null || (keepNullData && result.Executed));
        if (result is null || (!writeData && result.Extensions is not { Count: > 0 }))
        {
            return errorsObject;
        }

        var tail = Serializer.Serialize(new ExecutionResult
        {
            Executed = writeData,
            Data = result.Data,
            Extensions = result.Extensions is { Count: > 0 } ? result.Extensions : null,
        });
        var tailBytes = System.Text.Encoding.UTF8.GetBytes(tail);
        if (errorsObject.Length == 2)
        {
            return tailBytes;
        }

        // "{…errors…}" + "{data…}" → "{…errors…,data…}"
        var combined = new byte[errorsObject.Length - 1 + 1 + tailBytes.Length - 1];
        errorsObject.AsSpan(0, errorsObject.Length - 1).CopyTo(combined);
        combined[errorsObject.Length - 1] = (byte)',';
        tailBytes.AsSpan(1).CopyTo(combined.AsSpan(errorsObject.Length));
        return combined;
    }

    private static void WriteError(Utf8JsonWriter writer, ResponseError error)
    {
        writer.WriteStartObject();
        writer.WriteString("message", error.Message);
        writer.WritePropertyName("extensions");
        writer.WriteStartObject();
        foreach (var (key, value) in error.Extensions)
        {
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, value, value?.GetType() ?? typeof(object), ValueOptions);
        }

        writer.WriteEndObject();
        if (error.Locations is { Count: > 0 } locations)
        {
            writer.WritePropertyName("locations");
            JsonSerializer.Serialize(writer, locations, ValueOptions);
        }

        if (error.Path is { Count: > 0 } path)
        {
            writer.WritePropertyName("path");
            JsonSerializer.Serialize(writer, path, ValueOptions);
        }

        writer.WriteEndObject();
    }
}
