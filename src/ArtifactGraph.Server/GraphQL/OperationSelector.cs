using ArtifactGraph.Server.GraphQL.Validation;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.GraphQL;

/// <summary>graphql-js's operation selection (<c>getOperationAST</c> / <c>buildExecutionContext</c>).</summary>
internal static class OperationSelector
{
    public static GraphQLOperationDefinition? Select(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        return operationName is null
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(o => o.Name?.StringValue == operationName);
    }

    /// <summary>The request error graphql-js's <c>execute</c> gives when no operation could be selected.</summary>
    public static GraphQLJsError Failure(GraphQLDocument document, string? operationName)
        => operationName is not null
            ? new GraphQLJsError($"Unknown operation named \"{operationName}\".")
            : document.Definitions.OfType<GraphQLOperationDefinition>().Any()
                ? new GraphQLJsError("Must provide operation name if query contains multiple operations.")
                : new GraphQLJsError("Must provide an operation.");
}
