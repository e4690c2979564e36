using ArtifactGraph.Server.GraphQL.Validation;

namespace ArtifactGraph.Server.GraphQL;

/// <summary>Parse or validation failure: answered with HTTP 400 and one <c>GRAPHQL_VALIDATION</c> wrapper error.</summary>
internal sealed class GraphQLValidationException(IReadOnlyList<GraphQLJsError> errors) : Exception("GraphQL validation error.")
{
    public GraphQLValidationException(GraphQLJsError error)
        : this([error])
    {
    }

    public IReadOnlyList<GraphQLJsError> Errors { get; } = errors;
}
