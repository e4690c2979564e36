using GraphQL.Types;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.Directus.Scalars;

/// <summary>Directus's <c>Hash</c> scalar: a hashed or secret string, always masked when read.</summary>
public sealed class HashScalar : ScalarGraphType
{
    public HashScalar()
    {
        Name = "Hash";
        Description = "Hashed string values";
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLStringValue s => (string)s.Value,
        GraphQLNullValue => null,
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value is null or string ? value : ThrowValueConversionError(value);

    public override object? Serialize(object? value) => value is null ? null : "**********";
}
