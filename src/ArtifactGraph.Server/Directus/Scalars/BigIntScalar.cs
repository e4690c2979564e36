using System.Globalization;
using System.Text.Json;
using ArtifactGraph.Server.GraphQL.Validation;
using GraphQL.Types;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.Directus.Scalars;

/// <summary>
/// Directus's <c>GraphQLBigInt</c>: 64-bit integers written as JSON strings, read from strings only, which it reads as
/// JavaScript's <c>Number</c> does (<c>"1e3"</c> is 1000), or as a <c>BigInt</c> beyond the safe integers.
/// </summary>
public sealed class BigIntScalar : ScalarGraphType, IScalarInputMessages
{
    private const string MustBeString = "Value must be a String";

    public BigIntScalar()
    {
        Name = "GraphQLBigInt";
        Description = "BigInt value";
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLStringValue s => Parse((string)s.Value),
        GraphQLNullValue => null,
        _ => ThrowLiteralConversionError(value, MustBeString),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        string s => Parse(s),
        _ => ThrowValueConversionError(value),
    };

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        // Directus passes a falsy 0 through unchanged (a number); everything else becomes a string.
        0L or 0 => 0,
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        string s => s,
        _ => ThrowSerializationError(value),
    };

    public string? LiteralMessage(GraphQLValue node) => node switch
    {
        GraphQLNullValue => null,
        GraphQLStringValue s => Problem((string)s.Value, out _),
        _ => MustBeString,
    };

    public string? ValueMessage(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => Problem(value.GetString()!, out _),
        _ => MustBeString,
    };

    /// <summary>Directus's <c>parseNumberValue</c>, with its messages; null when the text is a 64-bit integer.</summary>
    public static string? Problem(string text, out long value)
    {
        value = 0;
        var number = JsNumber.Parse(text);
        if (double.IsNaN(number))
        {
            return "Invalid GraphQLBigInt";
        }

        if (JsNumber.IsSafeInteger(number))
        {
            value = (long)number;
            return null;
        }

        if (!JsNumber.TryParseBigInt(text, out var big))
        {
            return $"Cannot convert {text} to a BigInt";
        }

        if (big < long.MinValue || big > long.MaxValue)
        {
            return "Invalid GraphQLBigInt";
        }

        value = (long)big;
        return null;
    }

    private static long Parse(string text) => Problem(text, out var value) is { } problem ? throw new FormatException(problem) : value;
}
