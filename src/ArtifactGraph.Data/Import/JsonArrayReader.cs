using System.Text.Json;

namespace ArtifactGraph.Data.Import;

/// <summary>Reads the elements of the JSON array starting at a stream offset one at a time, each as its own document.</summary>
internal sealed class JsonArrayReader(Stream stream, long start) : IDisposable
{
    private readonly JsonStreamWindow window = new(stream, start);
    private bool inArray;

    /// <returns>The next element (the caller disposes it), or null after the last.</returns>
    public JsonDocument? Next()
    {
        while (true)
        {
            var reader = window.CreateReader();
            if (reader.Read())
            {
                if (!inArray)
                {
                    inArray = reader.TokenType == JsonTokenType.StartArray
                        ? true
                        : throw new InvalidOperationException($"No JSON array starts at offset {start}.");
                    window.Consume(ref reader);
                    continue;
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    return null;
                }

                // An element cut by the window's end: read more and parse it again from its start.
                if (JsonDocument.TryParseValue(ref reader, out var element))
                {
                    window.Consume(ref reader);
                    return element;
                }
            }

            if (!window.Refill())
            {
                throw new InvalidOperationException($"The JSON array starting at offset {start} does not end.");
            }
        }
    }

    public void Dispose() => window.Dispose();
}
