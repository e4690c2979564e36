using GraphQL.Types;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.Directus.Scalars;

/// <summary>Directus's <c>Void</c> scalar: the type of <c>_empty</c> when a caller can query nothing.</summary>
public sealed class VoidScalar : ScalarGraphType
{
    public VoidScalar()
    {
        Name = "Void";
        Description = "Represents NULL values";
    }

    public override object? ParseLiteral(GraphQLValue value) => null;

    public override object? ParseValue(object? value) => null;

    public override object? Serialize(object? value) => null;
}
