using System.Text.Json;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ArtifactGraph.Data.Import;

internal sealed record ImportRow(int Index, string? Id, object Entity);

internal sealed record ImportBatch(string Collection, IEntityType EntityType, IReadOnlyList<ImportRow> Rows);

/// <summary>Reads the document into entities, before any database work, and orders them for insertion.</summary>
internal static class ImportPlan
{
    public static IReadOnlyList<ImportBatch> Build(IModel model, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ImportException("The import document must be a JSON object: collection name → array of rows.");
        }

        var byCollection = model.GetEntityTypes().ToDictionary(CollectionName, StringComparer.Ordinal);
        var given = new Dictionary<IEntityType, JsonElement>();
        foreach (var member in root.EnumerateObject())
        {
            if (!byCollection.TryGetValue(member.Name, out var entityType))
            {
                throw new ImportException($"Unknown collection '{member.Name}'.");
            }

            if (member.Value.ValueKind != JsonValueKind.Array)
            {
                throw new ImportException($"Collection '{member.Name}' must be an array of rows.");
            }

            given[entityType] = member.Value;
        }

        return ImportOrder.Sort(given.Keys)
            .Select(e => new ImportBatch(CollectionName(e), e, ReadRows(e, given[e])))
            .ToList();
    }

    public static string CollectionName(IEntityType entityType)
        => entityType.FindAnnotation(DirectusAnnotations.Collection)?.Value as string ?? entityType.GetTableName()!;

    private static IReadOnlyList<ImportRow> ReadRows(IEntityType entityType, JsonElement rows)
    {
        var collection = CollectionName(entityType);
        var columns = entityType.GetProperties().ToDictionary(p => p.GetColumnName(), StringComparer.Ordinal);
        var result = new List<ImportRow>();
        var index = 0;
        foreach (var row in rows.EnumerateArray())
        {
            result.Add(ReadRow(entityType, columns, collection, index++, row));
        }

        var selfKeys = entityType.GetForeignKeys().Where(fk => fk.PrincipalEntityType == entityType).ToList();
        if (selfKeys.Count == 0)
        {
            return result;
        }

        var key = entityType.FindPrimaryKey()!.Properties[0];
        return ImportOrder.SortSelfReferences(
            result,
            r => key.GetGetter().GetClrValue(r.Entity),
            r => selfKeys.Select(fk => fk.Properties[0].GetGetter().GetClrValue(r.Entity)).OfType<object>());
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
