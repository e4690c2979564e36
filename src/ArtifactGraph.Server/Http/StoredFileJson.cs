using System.Globalization;
using System.Text.Json;
using ArtifactGraph.Data.Entities;

namespace ArtifactGraph.Server.Http;

/// <summary>A <c>directus_files</c> row as Directus's REST API answers it: every field, relations as raw ids.</summary>
internal static class StoredFileJson
{
    public static void Write(Utf8JsonWriter json, StoredFile file)
    {
        json.WriteStartObject();
        json.WriteString("id", file.Id);
        json.WriteString("storage", file.Storage);
        json.WriteString("filename_disk", file.FilenameDisk);
        json.WriteString("filename_download", file.FilenameDownload);
        json.WriteString("title", file.Title);
        json.WriteString("type", file.Type);
        WriteGuid(json, "folder", file.Folder);
        WriteGuid(json, "uploaded_by", file.UploadedBy);
        WriteDate(json, "created_on", file.CreatedOn);
        WriteGuid(json, "modified_by", file.ModifiedBy);
        WriteDate(json, "modified_on", file.ModifiedOn);
        json.WriteString("charset", file.Charset);
        WriteNumber(json, "filesize", file.Filesize);
        WriteNumber(json, "width", file.Width);
        WriteNumber(json, "height", file.Height);
        WriteNumber(json, "duration", file.Duration);
        json.WriteString("embed", file.Embed);
        json.WriteString("description", file.Description);
        json.WriteString("location", file.Location);
        WriteJson(json, "tags", file.Tags);
        WriteJson(json, "metadata", file.Metadata);
        WriteNumber(json, "focal_point_x", file.FocalPointX);
        WriteNumber(json, "focal_point_y", file.FocalPointY);
        json.WriteString("tus_id", file.TusId);
        WriteJson(json, "tus_data", file.TusData);
        WriteDate(json, "uploaded_on", file.UploadedOn);
        json.WriteEndObject();
    }

    private static void WriteGuid(Utf8JsonWriter json, string name, Guid? value)
    {
        if (value is { } id) json.WriteString(name, id);
        else json.WriteNull(name);
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number) json.WriteNumber(name, number);
        else json.WriteNull(name);
    }

    private static void WriteDate(Utf8JsonWriter json, string name, DateTime? value)
    {
        if (value is { } date) json.WriteString(name, DateTime.SpecifyKind(date, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        else json.WriteNull(name);
    }

    private static void WriteJson(Utf8JsonWriter json, string name, string? text)
    {
        json.WritePropertyName(name);
        if (text is null)
        {
            json.WriteNullValue();
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            document.RootElement.WriteTo(json);
        }
        catch (JsonException)
        {
            json.WriteStringValue(text);
        }
    }
}
