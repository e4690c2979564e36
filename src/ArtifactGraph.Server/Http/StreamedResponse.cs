using System.IO.Pipelines;
using System.Text.Json;
using ArtifactGraph.Server.Items;

namespace ArtifactGraph.Server.Http;

/// <summary>An answer written as it is read (a large list, batch by batch); disposing it frees what it reads from.</summary>
public interface IStreamedAnswer : IAsyncDisposable
{
    /// <summary>Writes the whole body to <paramref name="output"/>, flushing it after each batch.</summary>
    Task WriteAsync(PipeWriter output, CancellationToken cancellationToken);
}

/// <summary>
/// Sends an <see cref="IStreamedAnswer"/>: 200 with the request's JSON media type (or a download's headers) and no
/// <c>Content-Length</c> (HTTP/1.1 sends it chunked), then the body as it is written. A failure once the answer has
/// begun (the database lost half-way, anything unexpected) cannot be answered with an error any more: the status and the
/// first batches are gone. The connection is then aborted (a reset, with no final chunk), so that no client can take the
/// truncated body for a complete answer (a JSON one does not parse either), and the failure is logged.
/// </summary>
internal static class StreamedResponse
{
    /// <summary>
    /// A JSON array of a list read in batches: each batch's rows written (<paramref name="writeRow"/>), handed to
    /// <paramref name="output"/> and flushed, then dropped as the next batch is read.
    /// </summary>
    public static async Task WriteBatchesAsync(
        Utf8JsonWriter json, PipeWriter output, ItemBatches batches, Action<object> writeRow, CancellationToken cancellationToken)
    {
        json.WriteStartArray();
        await WriteRowsAsync(output, batches, writeRow, json.Flush, cancellationToken);
        json.WriteEndArray();
    }

    /// <summary>
    /// The rows of a list read in batches, in any format: each batch's rows written (<paramref name="writeRow"/>), what
    /// the writer holds handed over (<paramref name="handOver"/>), <paramref name="output"/> flushed, and the batch
    /// dropped as the next is read.
    /// </summary>
    public static async Task WriteRowsAsync(
        PipeWriter output, ItemBatches batches, Action<object> writeRow, Action? handOver, CancellationToken cancellationToken)
    {
        do
        {
            foreach (var row in batches.Rows)
            {
                writeRow(row);
            }

            handOver?.Invoke();
            await output.FlushAsync(cancellationToken);
        }
        while (await batches.NextAsync(cancellationToken));
    }

    /// <param name="headers">
    /// The answer's headers other than its status; by default the request's JSON media type, not to be cached, as every
    /// JSON answer (a download sets its own, see <see cref="Rest.RestExport"/>).
    /// </param>
    public static async Task WriteAsync(HttpContext context, IStreamedAnswer answer, ILogger logger, Action<HttpResponse>? headers = null)
    {
        var response = context.Response;
        try
        {
            response.StatusCode = StatusCodes.Status200OK;
            if (headers is null)
            {
                response.ContentType = ResponseMediaTypes.ContentType(ResponseMediaTypes.Get(context));
                response.Headers.CacheControl = "no-cache";
                response.Headers.Vary = "Origin, Cache-Control";
            }
            else
            {
                headers(response);
            }

            await answer.WriteAsync(response.BodyWriter, context.RequestAborted);
            await response.BodyWriter.FlushAsync(context.RequestAborted);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody is left to answer.
            logger.LogDebug(ex, "{Method} {Path}: the client left before the end of the answer", context.Request.Method, context.Request.Path);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "{Method} {Path}: the answer failed after it had begun; the connection is aborted, so that the client cannot take the part it received for a complete answer",
                context.Request.Method, context.Request.Path);
            context.Abort();
        }
        finally
        {
            await answer.DisposeAsync();
        }
    }
}
