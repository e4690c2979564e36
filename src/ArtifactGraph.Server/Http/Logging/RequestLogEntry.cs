using GraphQLParser.AST;

namespace ArtifactGraph.Server.Http.Logging;

/// <summary>What a request's handler adds to its log line (one per request, scoped): for GraphQL, the operation run.</summary>
public sealed class RequestLogEntry
{
    /// <summary>e.g. <c>query GetProjects</c>, <c>mutation</c>; null when the request ran no GraphQL operation.</summary>
    public string? Operation { get; private set; }

    /// <summary><c>query</c>, <c>mutation</c> or <c>subscription</c>; null when the request ran no GraphQL operation.</summary>
    public string? OperationKind { get; private set; }

    public void SetOperation(GraphQLOperationDefinition operation)
    {
        var type = operation.Operation switch
        {
            OperationType.Mutation => "mutation",
            OperationType.Subscription => "subscription",
            _ => "query",
        };
        OperationKind = type;
        Operation = operation.Name is { } name ? $"{type} {name.StringValue}" : type;
    }
}
