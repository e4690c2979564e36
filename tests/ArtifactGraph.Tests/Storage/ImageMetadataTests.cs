using ArtifactGraph.Server.Storage;

namespace ArtifactGraph.Tests.Storage;

/// <summary>
/// <see cref="ImageMetadata"/>: width, height and metadata of each format Directus reads, as Directus 12.4.1 filled them
/// for the same uploads (the EXIF JPEG of <see cref="ExifJpeg"/>: 16×8, orientation 6, answered 8×16 with this metadata).
/// </summary>
public sealed class ImageMetadataTests
{
    private const string DirectusExif =
        """{"ifd0":{"Make":"ArtifactGraph","Model":"Test Camera"},"exif":{"FNumber":2.8,"ExposureTime":0.004,"FocalLength":50,"ISOSpeedRatings":200}}""";

    [Theory]
    [InlineData(1, 16, 8)]
    [InlineData(4, 16, 8)]
    [InlineData(5, 8, 16)]
    [InlineData(6, 8, 16)]
    [InlineData(8, 8, 16)]
    public void Jpeg_exif_orientation_5_to_8_swaps_width_and_height(int orientation, int width, int height)
    {
        var image = Read(ExifJpeg.Create(16, 8, orientation), "image/jpeg");

        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.Equal(DirectusExif, image.Metadata.ToJsonString());
    }

    [Fact]
    public void The_allow_list_picks_paths_sections_or_everything_it_knows()
    {
        var jpeg = ExifJpeg.Create(16, 8, 6);

        Assert.Equal("""{"exif":{"ISOSpeedRatings":200},"ifd0":{"Orientation":6}}""", Read(jpeg, "image/jpeg", "exif.ISOSpeedRatings", "ifd0.Orientation", "gps.GPSLatitude").Metadata.ToJsonString());
        Assert.Equal("""{"ifd0":{"Make":"ArtifactGraph","Model":"Test Camera","Orientation":6}}""", Read(jpeg, "image/jpeg", "ifd0").Metadata.ToJsonString());
        Assert.Equal(
            """{"ifd0":{"Make":"ArtifactGraph","Model":"Test Camera","Orientation":6},"exif":{"ExposureTime":0.004,"FNumber":2.8,"ISOSpeedRatings":200,"FocalLength":50}}""",
            Read(jpeg, "image/jpeg", "*").Metadata.ToJsonString());
    }

    [Fact]
    public void Iptc_caption_and_keywords_become_description_and_tags() // as Directus 12.4.1 read the same files
    {
        var jpeg = ExifJpeg.Create(16, 8, 1);

        var several = Read(ExifJpeg.WithIptc(jpeg, (120, "A caption"), (25, "alpha"), (25, "beta"), (105, "A headline")), "image/jpeg");
        var one = Read(ExifJpeg.WithIptc(jpeg, (25, "solo")), "image/jpeg");

        Assert.Equal(("A caption", """["alpha","beta"]"""), (several.Description, several.Tags?.ToJsonString()));
        Assert.Equal(((string?)null, "\"solo\""), (one.Description, one.Tags?.ToJsonString()));
    }

    [Fact]
    public void Png_without_exif_has_empty_metadata() // Directus's answer for the seed's PNGs: metadata {}
    {
        var image = Read(FileUploadTests.Png(5, 7), "image/png");

        Assert.Equal((5, 7), (image.Width, image.Height));
        Assert.Equal("{}", image.Metadata.ToJsonString());
    }

    [Fact]
    public void Gif() => Assert.Equal((300, 2), Size(Read([.. "GIF89a"u8, 0x2C, 0x01, 0x02, 0x00, 0, 0, 0, 0x3B], "image/gif")));

    [Fact]
    public void WebP_lossy_lossless_extended()
    {
        Assert.Equal((320, 240), Size(Read(WebP("VP8 ", [0, 0, 0, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00]), "image/webp")));

        // 14-bit width-1 and height-1 packed little-endian after the 0x2F signature: 99 × 49.
        var bits = 98u | (48u << 14);
        Assert.Equal((99, 49), Size(Read(WebP("VP8L", [0x2F, (byte)bits, (byte)(bits >> 8), (byte)(bits >> 16), (byte)(bits >> 24), 0, 0, 0, 0, 0]), "image/webp")));

        Assert.Equal((800, 16), Size(Read(WebP("VP8X", [0, 0, 0, 0, 0x1F, 0x03, 0x00, 0x0F, 0x00, 0x00]), "image/webp")));
    }

    [Fact]
    public void Tiff_size_and_exif_from_its_first_ifd()
    {
        var image = Read(ExifJpeg.Tiff(8, (40, 30)), "image/tiff");

        Assert.Equal((30, 40), Size(image));
        Assert.Equal(DirectusExif, image.Metadata.ToJsonString());
    }

    [Fact]
    public void Content_that_is_not_an_image_is_null()
    {
        Assert.Null(ImageMetadata.Read(new MemoryStream("plain text, not an image"u8.ToArray()), "image/png", ExifTags.DefaultAllowList));
        Assert.Null(ImageMetadata.Read(new MemoryStream([0xFF, 0xD8, 0xFF]), "image/jpeg", ExifTags.DefaultAllowList));
    }

    [Fact]
    public void Only_Directus_image_types_are_read()
    {
        Assert.True(ImageMetadata.Supports("image/jpeg"));
        Assert.True(ImageMetadata.Supports("image/avif"));
        Assert.False(ImageMetadata.Supports("image/svg+xml"));
        Assert.False(ImageMetadata.Supports("application/octet-stream"));
        Assert.False(ImageMetadata.Supports(null));
    }

    private static ImageMetadata Read(byte[] bytes, string type, params string[] allowList)
        => ImageMetadata.Read(new MemoryStream(bytes), type, allowList.Length == 0 ? ExifTags.DefaultAllowList : allowList)
            ?? throw new Xunit.Sdk.XunitException($"{type}: not read as an image");

    private static (int?, int?) Size(ImageMetadata image) => (image.Width, image.Height);

    /// <summary>A RIFF WebP file holding one chunk.</summary>
    private static byte[] WebP(string chunk, byte[] payload)
        => [.. "RIFF"u8, .. Le(4 + 8 + payload.Length), .. "WEBP"u8, .. System.Text.Encoding.ASCII.GetBytes(chunk), .. Le(payload.Length), .. payload];

    private static byte[] Le(int value) => BitConverter.GetBytes(value);
}
