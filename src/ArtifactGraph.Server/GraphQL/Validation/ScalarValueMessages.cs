using System.Text.Json;

namespace ArtifactGraph.Server.GraphQL.Validation;

/// <summary>The <c>parseValue</c> errors of graphql-js's built-in scalars for JSON variable values; null when fine.</summary>
internal static class ScalarValueMessages
{
    public static string? Check(string scalar, JsonElement value)
    {
        var isNumber = value.ValueKind == JsonValueKind.Number;
        var isInteger = isNumber && value.GetDouble() is var d && Math.Floor(d) == d && !double.IsInfinity(d);
        return scalar switch
        {
            "Int" when !isInteger => $"Int cannot represent non-integer value: {JsInspect.Inspect(value)}",
            "Int" when value.GetDouble() is > int.MaxValue or < int.MinValue => $"Int cannot represent non 32-bit signed integer value: {JsInspect.Number(value)}",
            "Float" when !isNumber => $"Float cannot represent non numeric value: {JsInspect.Inspect(value)}",
            "String" when value.ValueKind != JsonValueKind.String => $"String cannot represent a non string value: {JsInspect.Inspect(value)}",
            "Boolean" when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False) => $"Boolean cannot represent a non boolean value: {JsInspect.Inspect(value)}",
            "ID" when value.ValueKind != JsonValueKind.String && !isInteger => $"ID cannot represent value: {JsInspect.Inspect(value)}",
            _ => null,
        };
    }
}
