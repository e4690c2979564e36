using System.Globalization;
using GraphQL.Types;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.Directus.Scalars;

/// <summary>Directus's <c>GraphQLBigInt</c>: 64-bit integers written as JSON strings, read from strings only.</summary>
public sealed class BigIntScalar : ScalarGraphType
{
    public BigIntScalar()
    {
        Name = "GraphQLBigInt";
        Description = "BigInt value";
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLStringValue s when long.TryParse((string)s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        GraphQLNullValue => null,
        _ => ThrowLiteralConversionError(value, "Value must be a String"),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
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
}
