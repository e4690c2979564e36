using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.GraphQL.Validation;
using GraphQL;
using GraphQL.SystemTextJson;
using Microsoft.IO;

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
    /// <summary>How every answer escapes its strings (as Directus's JSON.stringify does: only what JSON requires).</summary>
    internal static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    // Deep answers are legitimate (MAX_RELATIONAL_DEPTH and the parser bound them): not System.Text.Json's default of 64.
    private static readonly ResultSerializer Serializer = new(o =>
    {
        o.Encoder = Encoder;
        o.MaxDepth = 1024;
    });

    /// <summary>How GraphQL.NET's serializer writes values (its converters, our encoder): direct answers write theirs the same way.</summary>
    internal static JsonSerializerOptions SerializerOptions => Serializer.Options;

    /// <summary>Pooled response buffers, shared by every answer.</summary>
    private static RecyclableMemoryStreamManager Buffers { get; } = new();

    /// <summary>
    /// A pooled buffer for an answer. Its id, which only the library's trace events show, is not drawn at random: a new
    /// random <c>Guid</c> per stream (the library's default) asks the kernel for random bytes on every request.
    /// </summary>
    internal static RecyclableMemoryStream NewBuffer() => Buffers.GetStream(Guid.Empty);
    private static readonly JsonSerializerOptions ValueOptions = new() { Encoder = Encoder };

    public static Task WriteErrorsAsync(HttpContext context, int status, IReadOnlyList<ResponseError> errors, CancellationToken cancellationToken)
        => WriteAsync(context, status, errors, null, cancellationToken);

    public static Task WriteValidationAsync(HttpContext context, IReadOnlyList<GraphQLJsError> errors, CancellationToken cancellationToken)
        => WriteErrorsAsync(context, 400,
            [new ResponseError(ResponseError.ValidationMessage, [new("errors", errors), new("code", "GRAPHQL_VALIDATION")])],
            cancellationToken);

    public static async Task WriteAsync(
        HttpContext context, int status, IReadOnlyList<ResponseError> errors, ExecutionResult? result, CancellationToken cancellationToken)
    {
        var mediaType = ResponseMediaTypes.Get(context);
        using var body = RenderToStream(errors, result, keepNullData: mediaType == ResponseMediaType.GraphQLResponseJson);
        await WriteBodyAsync(context, status, body, cancellationToken);
    }

    /// <summary>Sends a complete body (<see cref="RenderToStream"/>, or an answer written directly) in the request's media type.</summary>
    public static async Task WriteBodyAsync(HttpContext context, int status, RecyclableMemoryStream body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ResponseMediaTypes.ContentType(ResponseMediaTypes.Get(context));
        context.Response.Headers.CacheControl = "no-cache";
        if (status == StatusCodes.Status200OK)
        {
            // Directus's respond(): every answer it sends says so (its 4xx errors go another way and say neither).
            context.Response.Headers.Vary = "Origin, Cache-Control";
        }

        context.Response.ContentLength = body.Length;

        // Express's ETag, for the requests a browser revalidates (GET, HEAD); Directus tags its POST answers too.
        var method = context.Request.Method;
        if ((HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) && EntityTag.SetAndCheck(context, EntityTag.Weak(body.GetReadOnlySequence())))
        {
            return;
        }

        foreach (var segment in body.GetReadOnlySequence())
        {
            await context.Response.Body.WriteAsync(segment, cancellationToken);
        }
    }

    /// <summary>
    /// The compact JSON body: <c>errors</c> (already shaped) first, then GraphQL.NET's <c>data</c>; a null <c>data</c> of an
    /// executed operation is written only when <paramref name="keepNullData"/> (Directus leaves it out).
    /// </summary>
    public static byte[] Render(IReadOnlyList<ResponseError> errors, ExecutionResult? result, bool keepNullData = false)
    {
        if (errors.Count == 0 && result is GraphQL.RenderedExecutionResult rendered)
        {
            return rendered.Body;
        }

        using var body = RenderToStream(errors, result, keepNullData);
        return body.ToArray();
    }

    /// <summary>
    /// <see cref="Render"/> into a pooled buffer (answers of tens of kilobytes are common: no string, no copies, no
    /// large-object-heap garbage). The caller disposes it.
    /// </summary>
    public static RecyclableMemoryStream RenderToStream(IReadOnlyList<ResponseError> errors, ExecutionResult? result, bool keepNullData = false)
    {
        var writeData = result is not null && (result.Data is not null || (keepNullData && result.Executed));
        var tail = result is not null && (writeData || result.Extensions is { Count: > 0 })
            ? new ExecutionResult
            {
                Executed = writeData,
                Data = result.Data,
                Extensions = result.Extensions is { Count: > 0 } ? result.Extensions : null,
            }
            : null;
        var body = NewBuffer();
        if (errors.Count == 0 && tail is not null)
        {
            // The usual answer: GraphQL.NET's object as it is.
            using var writer = CreateWriter(body);
            JsonSerializer.Serialize(writer, tail, Serializer.Options);
            return body;
        }

        using (var writer = CreateWriter(body))
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

            if (tail is null)
            {
                writer.WriteEndObject();
            }
        }

        if (tail is not null)
        {
            // "{"errors":[…]" + "," + GraphQL.NET's "{data…}" without its opening brace.
            using var rest = NewBuffer();
            using (var writer = CreateWriter(rest))
            {
                JsonSerializer.Serialize(writer, tail, Serializer.Options);
            }

            body.WriteByte((byte)',');
            rest.Position = 1;
            rest.CopyTo(body);
        }

        return body;
    }

    /// <summary>A compact writer into a pooled buffer, escaping as Directus does (every answer, direct ones too).</summary>
    internal static Utf8JsonWriter CreateWriter(RecyclableMemoryStream buffer)
        => new((IBufferWriter<byte>)buffer, WriterOptions);

    /// <summary>Compact, escaping as Directus does; unchecked (the writers follow the answer's shape themselves).</summary>
    internal static JsonWriterOptions WriterOptions { get; } = new() { Encoder = Encoder, SkipValidation = true };

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

/// <summary>GraphQL.NET's serializer, with its options at hand to write into a buffer of ours.</summary>
internal sealed class ResultSerializer(Action<JsonSerializerOptions> configure) : GraphQLSerializer(configure)
{
    public JsonSerializerOptions Options => SerializerOptions;
}
