using System.Globalization;
using System.Text.Json.Nodes;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;

namespace ArtifactGraph.Server.Storage;

/// <summary>
/// The EXIF values of an image as Directus keeps them in <c>directus_files.metadata</c>: sections <c>ifd0</c>, <c>ifd1</c>,
/// <c>exif</c>, <c>gps</c> and <c>interop</c>, tags under exif-reader's names (the EXIF specification's), rationals as
/// numbers, texts trimmed, several values as a list, EXIF dates as ISO timestamps; only the <c>section.Name</c> paths of
/// <c>FILE_METADATA_ALLOW_LIST</c> (<c>*</c>: every tag below, a bare section: all of its tags).
/// </summary>
public static class ExifTags
{
    /// <summary>Directus's default <c>FILE_METADATA_ALLOW_LIST</c>.</summary>
    public static readonly IReadOnlyList<string> DefaultAllowList =
        ["ifd0.Make", "ifd0.Model", "exif.FNumber", "exif.ExposureTime", "exif.FocalLength", "exif.ISOSpeedRatings"];

    private static readonly (int Id, string Name)[] ImageTags =
    [
        (0x0100, "ImageWidth"), (0x0101, "ImageLength"), (0x0102, "BitsPerSample"), (0x0103, "Compression"),
        (0x0106, "PhotometricInterpretation"), (0x010E, "ImageDescription"), (0x010F, "Make"), (0x0110, "Model"),
        (0x0112, "Orientation"), (0x0115, "SamplesPerPixel"), (0x011A, "XResolution"), (0x011B, "YResolution"),
        (0x0128, "ResolutionUnit"), (0x0131, "Software"), (0x0132, "DateTime"), (0x013B, "Artist"),
        (0x0201, "JPEGInterchangeFormat"), (0x0202, "JPEGInterchangeFormatLength"), (0x0213, "YCbCrPositioning"), (0x8298, "Copyright"),
    ];

    private static readonly (string Section, Type Directory, (int Id, string Name)[] Tags)[] Sections =
    [
        ("ifd0", typeof(ExifIfd0Directory), ImageTags),
        ("ifd1", typeof(ExifThumbnailDirectory), ImageTags),
        ("exif", typeof(ExifSubIfdDirectory),
        [
            (0x829A, "ExposureTime"), (0x829D, "FNumber"), (0x8822, "ExposureProgram"), (0x8827, "ISOSpeedRatings"),
            (0x9000, "ExifVersion"), (0x9003, "DateTimeOriginal"), (0x9004, "DateTimeDigitized"), (0x9201, "ShutterSpeedValue"),
            (0x9202, "ApertureValue"), (0x9203, "BrightnessValue"), (0x9204, "ExposureBiasValue"), (0x9205, "MaxApertureValue"),
            (0x9207, "MeteringMode"), (0x9208, "LightSource"), (0x9209, "Flash"), (0x920A, "FocalLength"), (0xA001, "ColorSpace"),
            (0xA002, "PixelXDimension"), (0xA003, "PixelYDimension"), (0xA402, "ExposureMode"), (0xA403, "WhiteBalance"),
            (0xA404, "DigitalZoomRatio"), (0xA405, "FocalLengthIn35mmFilm"), (0xA406, "SceneCaptureType"),
            (0xA431, "BodySerialNumber"), (0xA433, "LensMake"), (0xA434, "LensModel"),
        ]),
        ("gps", typeof(GpsDirectory),
        [
            (0x0000, "GPSVersionID"), (0x0001, "GPSLatitudeRef"), (0x0002, "GPSLatitude"), (0x0003, "GPSLongitudeRef"),
            (0x0004, "GPSLongitude"), (0x0005, "GPSAltitudeRef"), (0x0006, "GPSAltitude"), (0x0007, "GPSTimeStamp"),
            (0x0010, "GPSImgDirectionRef"), (0x0011, "GPSImgDirection"), (0x001D, "GPSDateStamp"),
        ]),
        ("interop", typeof(ExifInteropDirectory), [(0x0001, "InteroperabilityIndex"), (0x0002, "InteroperabilityVersion")]),
    ];

    /// <summary>exif-reader turns these into dates.</summary>
    private static readonly HashSet<string> DateTags = ["DateTime", "DateTimeOriginal", "DateTimeDigitized"];

    /// <summary>The allowed values in the allow list's order, as lodash's <c>pick</c> builds Directus's object.</summary>
    public static JsonObject Pick(IReadOnlyList<MetadataExtractor.Directory> directories, IReadOnlyCollection<string> allowList)
    {
        var metadata = new JsonObject();
        foreach (var (section, name) in Paths(allowList))
        {
            var known = Array.Find(Sections, s => s.Section == section);
            var id = known.Tags?.Where(t => t.Name == name).Select(t => (int?)t.Id).FirstOrDefault();
            if (known.Directory is null || id is null
                || directories.FirstOrDefault(known.Directory.IsInstanceOfType)?.GetObject(id.Value) is not { } value)
            {
                continue;
            }

            if (metadata[section] is not JsonObject values)
            {
                metadata[section] = values = new JsonObject();
            }

            values[name] = DateTags.Contains(name) ? Date(value) : Json(value);
        }

        return metadata;
    }

    private static IEnumerable<(string Section, string Name)> Paths(IReadOnlyCollection<string> allowList)
        => allowList.Contains("*")
            ? Sections.SelectMany(s => s.Tags.Select(t => (s.Section, t.Name)))
            : allowList.SelectMany(path => path.Split('.', 2) is [var section, var name]
                ? [(section, name)]
                : Sections.Where(s => s.Section == path).SelectMany(s => s.Tags.Select(t => (s.Section, t.Name))));

    private static JsonNode? Json(object value) => value switch
    {
        StringValue text => Text(text.ToString()),
        string text => Text(text),
        Rational rational => Number(rational.ToDouble()),
        byte[] bytes => new JsonObject { ["type"] = "Buffer", ["data"] = new JsonArray([.. bytes.Select(b => (JsonNode?)JsonValue.Create(b))]) },
        Array list => new JsonArray([.. list.Cast<object>().Select(Json)]),
        IConvertible number => Number(number.ToDouble(CultureInfo.InvariantCulture)),
        _ => null,
    };

    private static JsonValue Number(double value) => Math.Floor(value) == value && Math.Abs(value) < 1e15 ? JsonValue.Create((long)value) : JsonValue.Create(value);

    private static JsonValue Text(string text) => JsonValue.Create(text.TrimEnd('\0').Trim());

    /// <summary><c>YYYY:MM:DD HH:MM:SS</c>, read as UTC; anything else is null, as exif-reader answers.</summary>
    private static JsonValue? Date(object value)
        => DateTime.TryParseExact(value.ToString(), "yyyy:MM:dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            ? JsonValue.Create(date.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            : null;
}
