using System.Buffers;
using System.Text.Json;

namespace ArtifactGraph.Data.Import;

/// <summary>
/// The part of a JSON stream that a <see cref="Utf8JsonReader"/> has not consumed yet: readers are made over it, and
/// <see cref="Refill"/> reads more (growing the window for a token longer than it) when one runs out of bytes. Positions
/// are stream offsets (long: a document may pass 2 GB), so a value's start can be found again with a seek.
/// </summary>
internal sealed class JsonStreamWindow : IDisposable
{
    private const int InitialSize = 1 << 16;

    private readonly Stream stream;
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int begin;
    private int end;
    private JsonReaderState state;

    public JsonStreamWindow(Stream stream, long position)
    {
        this.stream = stream;
        stream.Position = position;
        Position = position;
    }

    /// <summary>The stream offset of the first byte not consumed: a reader's token offsets are relative to it.</summary>
    public long Position { get; private set; }

    public bool IsFinalBlock { get; private set; }

    public Utf8JsonReader CreateReader() => new(buffer.AsSpan(begin, end - begin), IsFinalBlock, state);

    /// <summary>Keeps what <paramref name="reader"/> (made by <see cref="CreateReader"/>) read.</summary>
    public void Consume(ref Utf8JsonReader reader)
    {
        begin += (int)reader.BytesConsumed;
        Position += reader.BytesConsumed;
        state = reader.CurrentState;
    }

    /// <returns>false once the stream's end was already handed to a reader.</returns>
    public bool Refill()
    {
        if (IsFinalBlock)
        {
            return false;
        }

        if (begin > 0)
        {
            Buffer.BlockCopy(buffer, begin, buffer, 0, end - begin);
            end -= begin;
            begin = 0;
        }
        else if (end == buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
            Buffer.BlockCopy(buffer, 0, larger, 0, end);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        var read = stream.Read(buffer, end, buffer.Length - end);
        end += read;
        IsFinalBlock = read == 0;
        return true;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
}
