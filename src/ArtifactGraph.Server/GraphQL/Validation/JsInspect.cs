using System.Globalization;
using System.Text.Json;

namespace ArtifactGraph.Server.GraphQL.Validation;

/// <summary>graphql-js's <c>inspect</c> for JSON input values (variables), as it appears in coercion messages.</summary>
internal static class JsInspect
{
    private const int MaxDepth = 2;
    private const int MaxItems = 10;

    public static string Inspect(JsonElement value, int depth = 0) => value.ValueKind switch
    {
        JsonValueKind.String => GraphQLPrinter.PrintString(value.GetString()!),
        JsonValueKind.Number => Number(value),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => "null",
        JsonValueKind.Array => InspectArray(value, depth),
        JsonValueKind.Object => InspectObject(value, depth),
        _ => value.GetRawText(),
    };

    public static string Number(JsonElement value)
    {
        var d = value.GetDouble();
        return Math.Floor(d) == d && Math.Abs(d) < 1e21
            ? d.ToString("F0", CultureInfo.InvariantCulture)
            : d.ToString("R", CultureInfo.InvariantCulture);
    }

    private static string InspectArray(JsonElement value, int depth)
    {
        var length = value.GetArrayLength();
        if (length == 0)
        {
            return "[]";
        }

        if (depth >= MaxDepth)
        {
            return "[Array]";
        }

        var items = value.EnumerateArray().Take(MaxItems).Select(v => Inspect(v, depth + 1)).ToList();
        if (length > MaxItems)
        {
            items.Add(length - MaxItems == 1 ? "... 1 more item" : $"... {length - MaxItems} more items");
        }

        return "[" + string.Join(", ", items) + "]";
    }

    private static string InspectObject(JsonElement value, int depth)
    {
        var properties = value.EnumerateObject().ToList();
        if (properties.Count == 0)
        {
            return "{}";
        }

        return depth >= MaxDepth
            ? "[Object]"
            : "{ " + string.Join(", ", properties.Select(p => p.Name + ": " + Inspect(p.Value, depth + 1))) + " }";
    }
}
