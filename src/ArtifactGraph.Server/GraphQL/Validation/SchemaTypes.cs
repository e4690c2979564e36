using GraphQL.Types;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.GraphQL.Validation;

/// <summary>Resolves a type reference of the document (<c>[Int!]</c>) against the schema.</summary>
internal static class SchemaTypes
{
    public static IGraphType? Resolve(ISchema? schema, GraphQLType type) => type switch
    {
        GraphQLNonNullType nn => Resolve(schema, nn.Type) is { } inner ? new NonNullGraphType(inner) : null,
        GraphQLListType l => Resolve(schema, l.Type) is { } inner ? new ListGraphType(inner) : null,
        GraphQLNamedType n => schema?.AllTypes[n.Name.StringValue],
        _ => null,
    };
}
