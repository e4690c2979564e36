using System.Buffers.Binary;

namespace ArtifactGraph.Server.Storage;

/// <summary>
/// Width and height of a PNG, JPEG, GIF or WebP image, read from its header bytes only (no decoding, no imaging
/// library): null for any other content or a header that does not parse.
/// </summary>
public static class ImageDimensions
{
    /// <summary>The most bytes a JPEG's segments are followed through before giving up on finding its frame header.</summary>
    private const long MaxJpegScan = 16 * 1024 * 1024;

    public static async Task<(int Width, int Height)?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new byte[32];
        var length = await ReadUpToAsync(stream, head, cancellationToken);
        var bytes = head.AsSpan(0, length);
        if (bytes.Length >= 24 && bytes[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            && bytes[12..16].SequenceEqual("IHDR"u8))
        {
            return Positive(BinaryPrimitives.ReadInt32BigEndian(bytes[16..]), BinaryPrimitives.ReadInt32BigEndian(bytes[20..]));
        }

        if (bytes.Length >= 10 && (bytes[..6].SequenceEqual("GIF87a"u8) || bytes[..6].SequenceEqual("GIF89a"u8)))
        {
            return Positive(BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]), BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]));
        }

        if (bytes.Length >= 30 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return WebP(bytes);
        }

        if (bytes.Length >= 4 && bytes[0] == 0xFF && bytes[1] == 0xD8)
        {
            return await JpegAsync(stream, head[2..length], cancellationToken);
        }

        return null;
    }

    private static (int, int)? WebP(ReadOnlySpan<byte> bytes)
    {
        var chunk = bytes[12..16];
        if (chunk.SequenceEqual("VP8 "u8) && bytes[23] == 0x9D && bytes[24] == 0x01 && bytes[25] == 0x2A)
        {
            return Positive(BinaryPrimitives.ReadUInt16LittleEndian(bytes[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(bytes[28..]) & 0x3FFF);
        }

        if (chunk.SequenceEqual("VP8L"u8) && bytes[20] == 0x2F)
        {
            int b0 = bytes[21], b1 = bytes[22], b2 = bytes[23], b3 = bytes[24];
            return Positive(1 + (((b1 & 0x3F) << 8) | b0), 1 + (((b3 & 0x0F) << 10) | (b2 << 2) | ((b1 & 0xC0) >> 6)));
        }

        if (chunk.SequenceEqual("VP8X"u8))
        {
            return Positive(1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16)), 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16)));
        }

        return null;
    }

    /// <summary>Follows the JPEG's marker segments (skipping their contents) up to the first start-of-frame.</summary>
    private static async Task<(int, int)?> JpegAsync(Stream stream, byte[] alreadyRead, CancellationToken cancellationToken)
    {
        var reader = new ByteReader(stream, alreadyRead);
        while (reader.Position < MaxJpegScan)
        {
            var marker = await reader.ReadByteAsync(cancellationToken);
            if (marker != 0xFF)
            {
                return null;
            }

            int code;
            do
            {
                code = await reader.ReadByteAsync(cancellationToken);
            }
            while (code == 0xFF);

            if (code < 0 || code == 0xD9 || code == 0xDA)
            {
                return null; // end of the stream, end of image or start of scan: no frame header before the data
            }

            if (code is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue; // markers without a length
            }

            var segment = await reader.ReadUInt16Async(cancellationToken);
            if (segment < 2)
            {
                return null;
            }

            if (code is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                _ = await reader.ReadByteAsync(cancellationToken); // sample precision
                var height = await reader.ReadUInt16Async(cancellationToken);
                var width = await reader.ReadUInt16Async(cancellationToken);
                return Positive(width, height);
            }

            if (!await reader.SkipAsync(segment - 2, cancellationToken))
            {
                return null;
            }
        }

        return null;
    }

    private static (int, int)? Positive(int width, int height) => width > 0 && height > 0 ? (width, height) : null;

    private static async Task<int> ReadUpToAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <summary>Bytes of a stream after some already read, one at a time, skipping ahead by seeking where it can.</summary>
    private sealed class ByteReader(Stream stream, byte[] pending)
    {
        private readonly byte[] one = new byte[1];
        private int pendingIndex;

        public long Position { get; private set; }

        public async ValueTask<int> ReadByteAsync(CancellationToken cancellationToken)
        {
            Position++;
            if (pendingIndex < pending.Length)
            {
                return pending[pendingIndex++];
            }

            return await stream.ReadAsync(one, cancellationToken) == 1 ? one[0] : -1;
        }

        public async ValueTask<int> ReadUInt16Async(CancellationToken cancellationToken)
        {
            var high = await ReadByteAsync(cancellationToken);
            var low = await ReadByteAsync(cancellationToken);
            return high < 0 || low < 0 ? -1 : (high << 8) | low;
        }

        public async ValueTask<bool> SkipAsync(int count, CancellationToken cancellationToken)
        {
            while (count > 0 && pendingIndex < pending.Length)
            {
                pendingIndex++;
                Position++;
                count--;
            }

            if (count == 0)
            {
                return true;
            }

            Position += count;
            if (stream.CanSeek)
            {
                stream.Seek(count, SeekOrigin.Current);
                return stream.Position <= stream.Length;
            }

            var buffer = new byte[Math.Min(count, 4096)];
            while (count > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(count, buffer.Length)), cancellationToken);
                if (read == 0)
                {
                    return false;
                }

                count -= read;
            }

            return true;
        }
    }
}
