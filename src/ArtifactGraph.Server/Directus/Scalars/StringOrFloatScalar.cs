using System.Globalization;
using System.Text.Json;
using ArtifactGraph.Server.GraphQL.Validation;
using GraphQL.Types;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.Directus.Scalars;

/// <summary>Directus's <c>GraphQLStringOrFloat</c> (filters only): a number or a string such as <c>"3"</c> or <c>$NOW</c>.</summary>
public sealed class StringOrFloatScalar : ScalarGraphType, IScalarInputMessages
{
    private const string Refused = "Value must be either a String or a Float";

    public StringOrFloatScalar()
    {
        Name = "GraphQLStringOrFloat";
        Description = "A Float or a String";
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLStringValue s => (string)s.Value,
        GraphQLIntValue i => double.Parse(i.Value.Span, CultureInfo.InvariantCulture),
        GraphQLFloatValue f => double.Parse(f.Value.Span, CultureInfo.InvariantCulture),
        GraphQLNullValue => null,
        _ => ThrowLiteralConversionError(value, Refused),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        string s => s,
        int or long or double or float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => ThrowValueConversionError(value),
    };

    public override object? Serialize(object? value) => value;

    public string? LiteralMessage(GraphQLValue node)
        => node is GraphQLStringValue or GraphQLIntValue or GraphQLFloatValue or GraphQLNullValue ? null : Refused;

    public string? ValueMessage(JsonElement value)
        => value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null ? null : Refused;
}
