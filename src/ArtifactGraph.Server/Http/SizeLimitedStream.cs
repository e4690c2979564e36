using ArtifactGraph.Server.Errors;

namespace ArtifactGraph.Server.Http;

/// <summary>Reads another stream and counts; one byte past <c>limit</c> is a 413 <c>CONTENT_TOO_LARGE</c>.</summary>
internal sealed class SizeLimitedStream(Stream inner, long? limit) : Stream
{
    private long length;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;

    /// <summary>The bytes read so far.</summary>
    public override long Length => length;

    public override long Position { get => length; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        length += read;
        return limit is { } max && length > max ? throw DirectusErrors.ContentTooLarge() : read;
    }
}
