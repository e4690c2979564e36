namespace ArtifactGraph.Server.Caching;

/// <summary>
/// A response body that passes everything on to <see cref="Inner"/> and keeps a copy of it, up to a limit: past it the
/// copy is dropped (the answer is then too large to cache) and the stream only passes on. The copy is kept in pooled
/// blocks (no doubling of one array as it grows); <see cref="Captured"/> makes the one array the cache keeps.
/// </summary>
public sealed class CaptureStream(Stream inner, long limit) : Stream
{
    private Microsoft.IO.RecyclableMemoryStream? copy = Http.GraphQLResponseWriter.NewBuffer();

    public Stream Inner { get; } = inner;

    /// <summary>Everything written, or null when it outgrew the limit.</summary>
    public byte[]? Captured => copy?.ToArray();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Keep(buffer);
        Inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Keep(buffer.Span);
        return Inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => Inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => Inner.FlushAsync(cancellationToken);

    /// <summary>Returns the copy's blocks to the pool; <see cref="Inner"/> is the response's, not ours.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            copy?.Dispose();
            copy = null;
        }

        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Keep(ReadOnlySpan<byte> buffer)
    {
        if (copy is null)
        {
            return;
        }

        if (copy.Length + buffer.Length > limit)
        {
            copy.Dispose();
            copy = null;
            return;
        }

        copy.Write(buffer);
    }
}
