using ArtifactGraph.Server.GraphQL.Validation;
using GraphQL;
using Microsoft.IO;

namespace ArtifactGraph.Server.GraphQL;

/// <summary>
/// The result of running a request: either <see cref="Result"/> from GraphQL.NET (its errors still to be shaped), or
/// graphql-js request errors (operation selection, variable coercion) that come back with HTTP 200 and no data.
/// </summary>
public sealed record GraphQLOutcome(ExecutionResult? Result, IReadOnlyList<GraphQLJsError> RequestErrors)
{
    /// <summary>A complete answer with data and no errors, written without GraphQL.NET's engine (see <c>DirectQueryExecutor</c>); the receiver disposes it.</summary>
    public RecyclableMemoryStream? Body { get; private init; }

    /// <summary>
    /// A direct answer with data and no errors whose large lists are read as it is written (requests that allowed it
    /// only); the receiver writes it (<c>StreamedResponse</c>) and disposes it.
    /// </summary>
    public Http.IStreamedAnswer? Streamed { get; private init; }

    public static GraphQLOutcome Direct(RecyclableMemoryStream body) => new(null, []) { Body = body };

    public static GraphQLOutcome Direct(Http.IStreamedAnswer streamed) => new(null, []) { Streamed = streamed };

    public static GraphQLOutcome Executed(ExecutionResult result) => new(result, []);

    public static GraphQLOutcome Rejected(IReadOnlyList<GraphQLJsError> errors) => new(null, errors);
}
