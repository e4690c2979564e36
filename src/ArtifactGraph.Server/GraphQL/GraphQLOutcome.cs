using ArtifactGraph.Server.GraphQL.Validation;
using GraphQL;

namespace ArtifactGraph.Server.GraphQL;

/// <summary>
/// The result of running a request: either <see cref="Result"/> from GraphQL.NET (its errors still to be shaped), or
/// graphql-js request errors (operation selection, variable coercion) that come back with HTTP 200 and no data.
/// </summary>
public sealed record GraphQLOutcome(ExecutionResult? Result, IReadOnlyList<GraphQLJsError> RequestErrors)
{
    public static GraphQLOutcome Executed(ExecutionResult result) => new(result, []);

    public static GraphQLOutcome Rejected(IReadOnlyList<GraphQLJsError> errors) => new(null, errors);
}
