using System.Text.Json.Serialization;

namespace ArtifactGraph.Server.GraphQL.Validation;

/// <summary>A 1-based position in the GraphQL document, as graphql-js reports it.</summary>
public readonly record struct SourceLocation([property: JsonPropertyName("line")] int Line, [property: JsonPropertyName("column")] int Column);

/// <summary>An error with graphql-js's exact message and locations (a validation, syntax or request error).</summary>
public sealed record GraphQLJsError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("locations")] IReadOnlyList<SourceLocation> Locations)
{
    public GraphQLJsError(string message, params SourceLocation[] locations)
        : this(message, (IReadOnlyList<SourceLocation>)locations)
    {
    }
}
