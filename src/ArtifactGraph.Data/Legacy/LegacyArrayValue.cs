using System.Text.Json;

namespace ArtifactGraph.Data.Legacy;

/// <summary>
/// Reads a legacy column's value: a JSON array of uuid strings (<c>["…", "…"]</c>). Each element keeps its
/// position (the junction's <c>sort</c> is position + 1); an element that is not a uuid string keeps its JSON
/// text for the report. A value that is not a JSON array at all has no elements and a <see cref="Problem"/>.
/// </summary>
internal sealed record LegacyArrayValue(IReadOnlyList<LegacyArrayElement> Elements, string? Problem)
{
    public static LegacyArrayValue Parse(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return new([], "not JSON");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return new([], "not a JSON array");
            }

            var elements = document.RootElement.EnumerateArray()
                .Select((element, position) => new LegacyArrayElement(position, element.GetRawText(), AsUuid(element)))
                .ToList();
            return new(elements, null);
        }
    }

    private static Guid? AsUuid(JsonElement element)
        => element.ValueKind == JsonValueKind.String && Guid.TryParseExact(element.GetString(), "D", out var id) ? id : null;
}

/// <param name="Position">Zero-based index in the array.</param>
/// <param name="Json">The element as written, for the report.</param>
/// <param name="Id">Null when the element is not a uuid string.</param>
internal sealed record LegacyArrayElement(int Position, string Json, Guid? Id);
