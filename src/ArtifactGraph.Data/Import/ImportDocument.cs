using System.Text.Json;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ArtifactGraph.Data.Import;

/// <summary>Where a collection's array starts in the document, and its number of rows.</summary>
internal sealed record ImportCollection(string Name, IEntityType EntityType, long Start, int RowCount);

/// <summary>
/// The first pass over an import document: checks its shape (an object of collection → array of row objects) and
/// notes where each array starts, without keeping any row. The rows are read in the second pass, see <see cref="ImportRows"/>.
/// </summary>
internal sealed class ImportDocument
{
    private readonly Dictionary<string, IEntityType> byCollection;
    private readonly Dictionary<IEntityType, ImportCollection> given = [];
    private readonly Dictionary<IEntityType, int> firstNonObjectRow = [];
    private IEntityType? current;
    private long currentStart;
    private int rowCount;

    private ImportDocument(IModel model)
        => byCollection = model.GetEntityTypes().ToDictionary(ImportPlan.CollectionName, StringComparer.Ordinal);

    /// <returns>The collections the document gives (a repeated one: its last array), in foreign-key order.</returns>
    /// <exception cref="ImportException">The document is not valid JSON or does not fit the model.</exception>
    public static IReadOnlyList<ImportCollection> Scan(IModel model, Stream json, CancellationToken cancellationToken)
    {
        var document = new ImportDocument(model);
        using var window = new JsonStreamWindow(json, json.Position);
        try
        {
            do
            {
                var reader = window.CreateReader();
                while (reader.Read())
                {
                    document.Handle(ref reader, window.Position);
                }

                window.Consume(ref reader);
                cancellationToken.ThrowIfCancellationRequested();
            }
            while (window.Refill());
        }
        catch (JsonException ex)
        {
            throw new ImportException($"The import document is not valid JSON: {ex.Message}", ex);
        }

        var ordered = ImportOrder.Sort(document.given.Keys).Select(e => document.given[e]).ToList();
        foreach (var collection in ordered)
        {
            // As when the whole document was read first: a row that is not an object fails before anything is written.
            if (document.firstNonObjectRow.TryGetValue(collection.EntityType, out var index))
            {
                throw ImportException.ForRow(collection.Name, index, null, "a row must be a JSON object");
            }
        }

        return ordered;
    }

    private void Handle(ref Utf8JsonReader reader, long windowPosition)
    {
        switch (reader.CurrentDepth)
        {
            case 0 when reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.EndObject):
                throw new ImportException("The import document must be a JSON object: collection name → array of rows.");
            case 1 when reader.TokenType == JsonTokenType.PropertyName:
                var name = reader.GetString()!;
                current = byCollection.TryGetValue(name, out var entityType)
                    ? entityType
                    : throw new ImportException($"Unknown collection '{name}'.");
                break;
            case 1 when reader.TokenType == JsonTokenType.StartArray:
                currentStart = windowPosition + reader.TokenStartIndex;
                rowCount = 0;
                firstNonObjectRow.Remove(current!);
                break;
            case 1 when reader.TokenType == JsonTokenType.EndArray:
                given[current!] = new ImportCollection(ImportPlan.CollectionName(current!), current!, currentStart, rowCount);
                break;
            case 1:
                throw new ImportException($"Collection '{ImportPlan.CollectionName(current!)}' must be an array of rows.");
            case 2 when reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray):
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    firstNonObjectRow.TryAdd(current!, rowCount);
                }

                rowCount++;
                break;
        }
    }
}
