using System.Text.Json;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Http;

namespace ArtifactGraph.Server.Json;

/// <summary>
/// The one reader of JSON a client sends (GraphQL bodies and variables, REST bodies), with the rules of Directus's
/// <c>JSON.parse</c> where they can be kept: a leading byte-order mark is skipped, syntax errors are worded as Node words
/// them, and when an object repeats a key <b>the last one wins</b> (in the place of the first). Where JavaScript would go
/// on with a value nothing can store, the request is <c>INVALID_PAYLOAD</c>: a number beyond a double (see
/// <see cref="JsonNumber"/>), a string or key holding an unpaired surrogate escape (<c>"\ud800"</c>), nesting deeper than
/// <see cref="MaxDepth"/>.
/// </summary>
internal static class ClientJson
{
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    /// <summary>Parses <paramref name="text"/>; a syntax error becomes what <paramref name="invalid"/> makes of its description.</summary>
    public static JsonDocument Parse(string text, Func<string, DirectusException> invalid)
    {
        var json = text.StartsWith('\uFEFF') ? text[1..] : text;
        try
        {
            return JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            // System.Text.Json names no error kind; its depth error is the one that speaks of the maximum configured depth.
            throw invalid(ex.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? $"The JSON is nested more than {MaxDepth} levels deep"
                : NodeJsonErrors.Describe(json, ex));
        }
    }

    /// <summary>
    /// The value checked by the rules above: <paramref name="element"/> itself, or, when some object repeats a key, a copy in
    /// which the last one wins (so GraphQL.NET's variable reader, which refuses repeated keys, sees what Directus would).
    /// </summary>
    public static JsonElement Checked(JsonElement element)
        => Guard(() => HasRepeatedKeys(element) ? JsonSerializer.SerializeToElement(ToValue(element)) : element);

    /// <summary>The plain value the item writer takes: dictionaries, lists, strings, numbers, booleans and null.</summary>
    public static object? ToValue(JsonElement element) => Guard(() => Value(element));

    private static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to turn an unpaired UTF-16 surrogate escape ("\ud800") into a string.
            throw DirectusException.InvalidPayload("The JSON holds a string with an unpaired surrogate escape");
        }
    }

    private static object? Value(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = Value(property.Value);
                }

                return map;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(Value).ToList();
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return JsonNumber.Read(element);
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    /// <summary>Walks the value once: numbers checked, and whether any object repeats a key.</summary>
    private static bool HasRepeatedKeys(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var repeated = false;
                HashSet<string>? names = null;
                foreach (var property in element.EnumerateObject())
                {
                    repeated |= !(names ??= new(StringComparer.Ordinal)).Add(property.Name);
                    repeated |= HasRepeatedKeys(property.Value);
                }

                return repeated;
            case JsonValueKind.Array:
                var any = false;
                foreach (var item in element.EnumerateArray())
                {
                    any |= HasRepeatedKeys(item);
                }

                return any;
            case JsonValueKind.Number:
                _ = JsonNumber.Read(element);
                return false;
            case JsonValueKind.String:
                _ = element.GetString();
                return false;
            default:
                return false;
        }
    }
}
