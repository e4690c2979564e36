using System.Buffers.Binary;
using System.Text;

namespace ArtifactGraph.Tests.Storage;

/// <summary>
/// A small, valid grey JPEG (every 8×8 block flat) with an EXIF segment: camera make and model, orientation, exposure
/// time 1/250, f/2.8, ISO 200, focal length 50; or a TIFF with the same first IFD.
/// </summary>
public static class ExifJpeg
{
    public static byte[] Create(int width, int height, int orientation)
    {
        var blocks = ((width + 7) / 8) * ((height + 7) / 8);
        var scan = new List<byte>();
        var bits = 0;
        var count = 0;
        for (var i = 0; i < blocks * 2; i++)
        {
            // Each block is a DC difference of category 0 and an end of block: two one-bit codes "0".
            bits <<= 1;
            if (++count == 8)
            {
                scan.Add((byte)bits);
                (bits, count) = (0, 0);
            }
        }

        if (count > 0)
        {
            scan.Add((byte)((bits << (8 - count)) | ((1 << (8 - count)) - 1)));
        }

        byte[] huffman = [1, .. new byte[15], 0];
        return
        [
            0xFF, 0xD8,
            .. Segment(0xE1, [.. "Exif\0\0"u8, .. Tiff(orientation, null)]),
            .. Segment(0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]),
            .. Segment(0xC0, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0]),
            .. Segment(0xC4, [0x00, .. huffman]),
            .. Segment(0xC4, [0x10, .. huffman]),
            .. Segment(0xDA, [1, 1, 0, 0, 63, 0]),
            .. scan,
            0xFF, 0xD9,
        ];
    }

    /// <summary>The JPEG with an IPTC block (Photoshop APP13) of a record version and these datasets (record 2) first.</summary>
    public static byte[] WithIptc(byte[] jpeg, params (byte DataSet, string Text)[] entries)
    {
        List<byte> iptc = [0x1C, 2, 0, 0, 2, 0, 4];
        foreach (var (dataSet, text) in entries)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            iptc.AddRange([0x1C, 2, dataSet, (byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes]);
        }

        if (iptc.Count % 2 == 1)
        {
            iptc.Add(0);
        }

        byte[] size = [.. UInt(iptc.Count).Reverse()];
        return [0xFF, 0xD8, .. Segment(0xED, [.. "Photoshop 3.0\0"u8, .. "8BIM"u8, 0x04, 0x04, 0, 0, .. size, .. iptc]), .. jpeg[2..]];
    }

    /// <summary>A little-endian TIFF header and first IFD (make, model, orientation, an EXIF IFD); with a size, also the image's width and height.</summary>
    public static byte[] Tiff(int orientation, (int Width, int Height)? size)
    {
        var ifd0 = new List<(ushort Tag, ushort Type, byte[] Value)>
        {
            (0x010F, 2, Ascii("ArtifactGraph")), (0x0110, 2, Ascii("Test Camera")), (0x0112, 3, UShort(orientation)), (0x8769, 4, UInt(0)),
        };
        if (size is var (width, height))
        {
            ifd0.Add((0x0100, 4, UInt(width)));
            ifd0.Add((0x0101, 4, UInt(height)));
        }

        ifd0.Sort((a, b) => a.Tag.CompareTo(b.Tag));
        var exifOffset = 8 + Ifd(ifd0, 8).Length;
        ifd0[ifd0.FindIndex(e => e.Tag == 0x8769)] = (0x8769, 4, UInt(exifOffset));
        List<(ushort, ushort, byte[])> exif = [(0x829A, 5, Rational(1, 250)), (0x829D, 5, Rational(28, 10)), (0x8827, 3, UShort(200)), (0x920A, 5, Rational(50, 1))];
        return [.. "II*\0"u8, 8, 0, 0, 0, .. Ifd(ifd0, 8), .. Ifd(exif, exifOffset)];
    }

    /// <summary>An IFD at <paramref name="offset"/> in the TIFF, its values longer than four bytes right after it.</summary>
    private static byte[] Ifd(List<(ushort Tag, ushort Type, byte[] Value)> entries, int offset)
    {
        var head = new List<byte>();
        var data = new List<byte>();
        var dataStart = offset + 2 + (12 * entries.Count) + 4;
        head.AddRange(UShort(entries.Count));
        foreach (var (tag, type, value) in entries)
        {
            var count = type switch { 2 => value.Length, 3 => value.Length / 2, 5 => value.Length / 8, _ => value.Length / 4 };
            head.AddRange([.. UShort(tag), .. UShort(type), .. UInt(count)]);
            if (value.Length <= 4)
            {
                head.AddRange([.. value, .. new byte[4 - value.Length]]);
                continue;
            }

            head.AddRange(UInt(dataStart + data.Count));
            data.AddRange(value);
            if (data.Count % 2 == 1)
            {
                data.Add(0);
            }
        }

        head.AddRange(UInt(0));
        return [.. head, .. data];
    }

    private static byte[] Segment(byte marker, byte[] payload) => [0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2), .. payload];

    private static byte[] Ascii(string text) => [.. Encoding.ASCII.GetBytes(text), 0];

    private static byte[] UShort(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
        return bytes;
    }

    private static byte[] UInt(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)value);
        return bytes;
    }

    private static byte[] Rational(int numerator, int denominator) => [.. UInt(numerator), .. UInt(denominator)];
}
