using System.Buffers;
using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Http;

/// <summary>Reads a request body up to <c>MAX_PAYLOAD_SIZE</c>; anything larger is a 413, never buffered whole.</summary>
internal static class RequestBodyReader
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw DirectusErrors.ContentTooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw DirectusErrors.ContentTooLarge();
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }
}
