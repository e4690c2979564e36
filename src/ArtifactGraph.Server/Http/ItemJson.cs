using System.Text.Json;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Scalars;
using ArtifactGraph.Server.Directus.Schema;

namespace ArtifactGraph.Server.Http;

/// <summary>
/// An item as Directus's REST API answers it, written from the model: every column in the collection's field order,
/// many-to-one fields as the raw key, values formatted as the GraphQL read type formats them (ids as text, JSON parsed,
/// timestamps in UTC with milliseconds, hashes masked); numbers stay JSON numbers.
/// </summary>
internal static class ItemJson
{
    public static void Write(Utf8JsonWriter json, CollectionModel collection, object item)
    {
        json.WriteStartObject();
        foreach (var field in collection.Fields.Where(f => f.Kind != FieldKind.OneToMany))
        {
            json.WritePropertyName(field.Name);
            var raw = field.Getter(item);
            switch (raw is null ? null : field.DirectusType == "hash" ? "**********" : ObjectTypes.OutputValue(field, raw))
            {
                case null:
                    json.WriteNullValue();
                    break;
                case DateTime date:
                    json.WriteStringValue(DateScalar.Format(date));
                    break;
                case JsonElement element:
                    element.WriteTo(json);
                    break;
                case var value:
                    JsonSerializer.Serialize(json, value, value.GetType());
                    break;
            }
        }

        json.WriteEndObject();
    }
}
