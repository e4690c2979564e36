using System.Text.Json;

namespace ArtifactGraph.Server.GraphQL;

/// <summary>One GraphQL request as read from the URL or the body; <see cref="Variables"/> is the raw JSON object.</summary>
public sealed record GraphQLRequest(string Query, JsonElement? Variables, string? OperationName);
