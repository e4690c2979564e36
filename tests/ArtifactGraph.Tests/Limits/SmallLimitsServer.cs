namespace ArtifactGraph.Tests.Limits;

/// <summary>The server with small request limits: at most 2 items, 40 tokens and a 4 KB body.</summary>
public sealed class SmallLimitsServer() : LimitedServer(new Dictionary<string, string>
{
    ["QUERY_LIMIT_MAX"] = "2",
    ["GRAPHQL_QUERY_TOKEN_LIMIT"] = "40",
    ["MAX_PAYLOAD_SIZE"] = "4kb",
});
