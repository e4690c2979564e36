using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ArtifactGraph.Bench.Load;

/// <summary>
/// A read-only stream of <see cref="Length"/> pseudo-random bytes made as they are read (no buffer of the whole file),
/// hashing them on the way: an upload body of any size at constant client memory. Seekable only back to the start
/// (HttpClient's <c>StreamContent</c> rewinds a body it sends again), which starts the bytes and the hash afresh.
/// </summary>
public sealed class GeneratedStream(long length, ulong seed) : Stream
{
    private IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set
        {
            if (value != 0)
            {
                throw new NotSupportedException("A generated stream only rewinds to its start.");
            }

            _position = 0;
            _hash.Dispose();
            _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }
    }

    /// <summary>SHA-256 of the bytes read so far (all of them once the stream has been read to its end).</summary>
    public byte[] Hash() => _hash.GetCurrentHash();

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - _position);
        var target = buffer[..count];
        Span<byte> word = stackalloc byte[8];
        var written = 0;
        while (written < count)
        {
            var position = _position + written;
            var offset = (int)(position & 7);
            var value = Mix(seed, position >> 3);
            if (offset == 0 && count - written >= 8)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(target[written..], value);
                written += 8;
            }
            else
            {
                BinaryPrimitives.WriteUInt64LittleEndian(word, value);
                var take = Math.Min(8 - offset, count - written);
                word.Slice(offset, take).CopyTo(target[written..]);
                written += take;
            }
        }

        _hash.AppendData(target);
        _position += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override long Seek(long offset, SeekOrigin origin)
    {
        if (origin != SeekOrigin.Begin)
        {
            throw new NotSupportedException("A generated stream only rewinds to its start.");
        }

        Position = offset;
        return 0;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    // SplitMix64 of the seed and the 8-byte block's number: any block without computing the ones before it.
    private static ulong Mix(ulong seed, long block)
    {
        var z = seed + (ulong)(block + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
