using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Json;
using ArtifactGraph.Server.Storage;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// The text fields sent before a file part, as the item payload of its <c>directus_files</c> row: Directus's upload
/// fields only (others, such as <c>id</c> or <c>filesize</c>, are the server's to set and are ignored), each in the shape
/// the item writer takes. The writer then applies the caller's permission to them, as to any item.
/// </summary>
internal static class UploadFields
{
    /// <summary>Directus's multipart field values: <c>"null"</c> (trimmed) is null.</summary>
    public static string? Value(string text) => text.Trim() == "null" ? null : text;

    public static Dictionary<string, object?> Payload(IReadOnlyDictionary<string, string?> fields, IFileStorageLocations locations)
    {
        var payload = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (field, value) in fields)
        {
            switch (field)
            {
                case "title" or "description" or "location" or "charset" or "focal_point_x" or "focal_point_y":
                    payload[field] = value;
                    break;
                case "filename_download" when value is not null:
                    payload[field] = UploadFileName.Download(value);
                    break;
                case "tags":
                    payload[field] = Tags(value);
                    break;
                case "folder":
                    payload[field] = value is null ? null : new Dictionary<string, object?> { ["id"] = value.Trim() };
                    break;
                case "storage":
                    payload[field] = value is not null && locations.Find(value) is not null ? value
                        : throw DirectusException.InvalidPayload($"Storage \"{value}\" doesn't exist");
                    break;
                default:
                    break;
            }
        }

        return payload;
    }

    /// <summary>A JSON array of strings (read by <see cref="ClientJson"/>) or a comma-separated list.</summary>
    private static List<object?>? Tags(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!value.TrimStart().StartsWith('['))
        {
            return [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        var invalid = DirectusException.InvalidPayload("\"tags\" must be a JSON array of strings or a comma-separated list");
        using var json = ClientJson.Parse(value, _ => invalid);
        return ClientJson.ToValue(json.RootElement) is List<object?> tags && tags.All(t => t is string) ? tags : throw invalid;
    }
}
