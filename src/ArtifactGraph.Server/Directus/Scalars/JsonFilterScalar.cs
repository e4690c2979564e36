using System.Text.Json;
using ArtifactGraph.Server.GraphQL.Validation;
using GraphQL.Types;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.Directus.Scalars;

/// <summary>
/// Directus's <c>GraphQLJsonFilter</c>: an object mapping JSON paths to filter operators, checked as Directus checks it
/// (<c>validateJsonFilterValue</c>, with its messages) for literals and variables.
/// </summary>
public sealed class JsonFilterScalar : ScalarGraphType, IScalarInputMessages
{
    public JsonFilterScalar()
    {
        Name = "GraphQLJsonFilter";
        Description = "A JSON filter value: a plain object mapping JSON path keys to filter operators (e.g. { \"key\": { \"_eq\": \"value\" } })";
    }

    public override object? ParseLiteral(GraphQLValue value) => JsonScalar.LiteralToObject(value);

    public override object? ParseValue(object? value) => value is null || Problem(value) is null ? value : ThrowValueConversionError(value);

    public override bool CanParseLiteral(GraphQLValue value)
        => value is GraphQLNullValue || (value is GraphQLObjectValue && !JsonScalar.HasVariable(value) && LiteralMessage(value) is null);

    public override object? Serialize(object? value) => value;

    public string? LiteralMessage(GraphQLValue node) => node switch
    {
        GraphQLNullValue => null,
        _ when JsonScalar.HasVariable(node) => "a variable can't stand inside this value (pass the whole value as one variable)",
        _ => Problem(JsonScalar.LiteralToObject(node)),
    };

    public string? ValueMessage(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : Problem(Shape(value));

    /// <summary>Why Directus refuses the filter; null when it takes it.</summary>
    public static string? Problem(object? value)
    {
        if (value is not IDictionary<string, object?> filter)
        {
            return "json filter value must be a plain object mapping JSON path keys to filter operators";
        }

        foreach (var (key, operators) in filter)
        {
            if (key.Trim().Length == 0)
            {
                return "json filter: keys must not be empty";
            }

            if (key is "_or" or "_and" ? operators is not System.Collections.IList : operators is not IDictionary<string, object?>)
            {
                return key is "_or" or "_and"
                    ? $"json filter: \"{key}\" must be an array of filter objects"
                    : $"json filter: \"{key}\" must be a filter operator object (e.g. {{ \"_eq\": \"value\" }})";
            }
        }

        return null;
    }

    /// <summary>Objects and lists as the engine hands them over; any other value stands as its kind.</summary>
    private static object? Shape(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => Shape(p.Value)),
        JsonValueKind.Array => value.EnumerateArray().Select(Shape).ToList(),
        JsonValueKind.Null => null,
        var kind => kind,
    };
}
