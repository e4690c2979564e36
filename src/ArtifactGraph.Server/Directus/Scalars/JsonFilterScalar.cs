using GraphQL.Types;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.Directus.Scalars;

/// <summary>Directus's <c>GraphQLJsonFilter</c>: an object mapping JSON paths to filter operators.</summary>
public sealed class JsonFilterScalar : ScalarGraphType
{
    public JsonFilterScalar()
    {
        Name = "GraphQLJsonFilter";
        Description = "A JSON filter value: a plain object mapping JSON path keys to filter operators (e.g. { \"key\": { \"_eq\": \"value\" } })";
    }

    public override object? ParseLiteral(GraphQLValue value) => JsonScalar.LiteralToObject(value);

    public override object? ParseValue(object? value) => value;

    public override bool CanParseLiteral(GraphQLValue value) => value is GraphQLObjectValue or GraphQLNullValue;

    public override object? Serialize(object? value) => value;
}
