using System.Text.Json;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ArtifactGraph.Data.Import;

internal sealed record ImportRow(int Index, string? Id, object Entity);

/// <summary>The second pass: turns a collection's rows into entities, one at a time, in the order they can be inserted.</summary>
internal static class ImportPlan
{
    public static string CollectionName(IEntityType entityType)
        => entityType.FindAnnotation(DirectusAnnotations.Collection)?.Value as string ?? entityType.GetTableName()!;

    /// <summary>
    /// The rows of <paramref name="collection"/>, read from <paramref name="json"/> as they are enumerated. A collection
    /// with a self reference (folders: a parent) is read whole and sorted parents first; such collections are small.
    /// </summary>
    public static IEnumerable<ImportRow> ReadRows(Stream json, ImportCollection collection)
    {
        var rows = StreamRows(json, collection);
        var entityType = collection.EntityType;
        var selfKeys = entityType.GetForeignKeys().Where(fk => fk.PrincipalEntityType == entityType).ToList();
        if (selfKeys.Count == 0)
        {
            return rows;
        }

        var key = entityType.FindPrimaryKey()!.Properties[0];
        return ImportOrder.SortSelfReferences(
            rows.ToList(),
            r => key.GetGetter().GetClrValue(r.Entity),
            r => selfKeys.Select(fk => fk.Properties[0].GetGetter().GetClrValue(r.Entity)).OfType<object>());
    }

    private static IEnumerable<ImportRow> StreamRows(Stream json, ImportCollection collection)
    {
        var columns = collection.EntityType.GetProperties().ToDictionary(p => p.GetColumnName(), StringComparer.Ordinal);
        using var reader = new JsonArrayReader(json, collection.Start);
        var index = 0;
        while (reader.Next() is { } row)
        {
            using (row)
            {
                yield return ReadRow(collection.EntityType, columns, collection.Name, index++, row.RootElement);
            }
        }
    }

    private static ImportRow ReadRow(IEntityType entityType, Dictionary<string, IProperty> columns, string collection, int index, JsonElement row)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            throw ImportException.ForRow(collection, index, null, "a row must be a JSON object");
        }

        var id = row.TryGetProperty("id", out var idValue) && idValue.ValueKind != JsonValueKind.Null
            ? (idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : idValue.GetRawText())
            : null;
        var entity = Activator.CreateInstance(entityType.ClrType)!;
        foreach (var field in row.EnumerateObject())
        {
            if (!columns.TryGetValue(field.Name, out var property) || property.PropertyInfo is null)
            {
                throw ImportException.ForRow(collection, index, id, $"unknown column '{field.Name}'");
            }

            try
            {
                property.PropertyInfo.SetValue(entity, JsonValueConverter.Convert(property, field.Value));
            }
            catch (FormatException ex)
            {
                throw ImportException.ForRow(collection, index, id, ex.Message, ex);
            }
        }

        return new ImportRow(index, id, entity);
    }
}
