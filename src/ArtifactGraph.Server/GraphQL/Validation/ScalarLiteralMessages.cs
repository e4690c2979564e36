using GraphQL.Types;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.GraphQL.Validation;

/// <summary>The <c>parseLiteral</c> errors of graphql-js's five built-in scalars; null when the literal is fine.</summary>
internal static class ScalarLiteralMessages
{
    public static string? Check(ScalarGraphType scalar, GraphQLValue node)
    {
        var printed = GraphQLPrinter.Print(node);
        return scalar.Name switch
        {
            "Int" when node is GraphQLIntValue i => int.TryParse(i.Value.Span, out _)
                ? null
                : $"Int cannot represent non 32-bit signed integer value: {printed}",
            "Int" => $"Int cannot represent non-integer value: {printed}",
            "Float" => node is GraphQLIntValue or GraphQLFloatValue ? null : $"Float cannot represent non numeric value: {printed}",
            "String" => node is GraphQLStringValue ? null : $"String cannot represent a non string value: {printed}",
            "Boolean" => node is GraphQLBooleanValue ? null : $"Boolean cannot represent a non boolean value: {printed}",
            "ID" => node is GraphQLStringValue or GraphQLIntValue ? null : $"ID cannot represent a non-string and non-integer value: {printed}",
            _ => null,
        };
    }

    public static bool IsBuiltIn(string name) => name is "Int" or "Float" or "String" or "Boolean" or "ID";
}
