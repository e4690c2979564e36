using ArtifactGraph.Server.Storage;

namespace ArtifactGraph.Tests.Storage;

/// <summary><see cref="ImageDimensions"/>: width and height from the header bytes of each supported format.</summary>
public sealed class UploadImageDimensionsTests
{
    [Fact]
    public async Task Png() => Assert.Equal((5, 7), await ReadAsync(FileUploadTests.Png(5, 7)));

    [Fact]
    public async Task Gif() => Assert.Equal((300, 2), await ReadAsync([.. "GIF89a"u8, 0x2C, 0x01, 0x02, 0x00, 0, 0, 0, 0]));

    [Fact]
    public async Task Jpeg_frameHeaderAfterOtherSegments()
    {
        byte[] jpeg =
        [
            0xFF, 0xD8,
            0xFF, 0xE0, 0x00, 0x10, .. "JFIF\0"u8, 1, 1, 0, 0, 1, 0, 1, 0, 0,   // APP0, 16 bytes
            0xFF, 0xE1, 0x00, 0x06, 1, 2, 3, 4,                                  // APP1, skipped
            0xFF, 0xC0, 0x00, 0x11, 8, 0x01, 0x2C, 0x02, 0x58, 3,               // SOF0: 300 high, 600 wide
            0, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        Assert.Equal((600, 300), await ReadAsync(jpeg));
    }

    [Fact]
    public async Task WebP_lossy_lossless_extended()
    {
        var lossy = WebP("VP8 ", [0, 0, 0, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00]);
        Assert.Equal((320, 240), await ReadAsync(lossy));

        // 14-bit width-1 and height-1 packed little-endian after the 0x2F signature: 99 × 49.
        var bits = 98u | (48u << 14);
        var lossless = WebP("VP8L", [0x2F, (byte)bits, (byte)(bits >> 8), (byte)(bits >> 16), (byte)(bits >> 24), 0, 0, 0, 0, 0]);
        Assert.Equal((99, 49), await ReadAsync(lossless));

        var extended = WebP("VP8X", [0, 0, 0, 0, 0x1F, 0x03, 0x00, 0x0F, 0x00, 0x00]);
        Assert.Equal((800, 16), await ReadAsync(extended));
    }

    [Fact]
    public async Task OtherContent_null()
    {
        Assert.Null(await ImageDimensions.ReadAsync(new MemoryStream("plain text, not an image"u8.ToArray()), CancellationToken.None));
        Assert.Null(await ImageDimensions.ReadAsync(new MemoryStream([0xFF, 0xD8, 0xFF]), CancellationToken.None));
    }

    private static byte[] WebP(string chunk, byte[] payload)
        => [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8, .. System.Text.Encoding.ASCII.GetBytes(chunk), 0, 0, 0, 0, .. payload, .. new byte[16]];

    private static async Task<(int, int)?> ReadAsync(byte[] bytes) => await ImageDimensions.ReadAsync(new MemoryStream(bytes), CancellationToken.None);
}
