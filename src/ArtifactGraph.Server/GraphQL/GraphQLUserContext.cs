using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Loading;

namespace ArtifactGraph.Server.GraphQL;

/// <summary>Per-request state handed to resolvers: who asks, the request's services and its batch loaders.</summary>
public sealed class GraphQLUserContext : Dictionary<string, object?>
{
    public GraphQLUserContext(Accountability accountability, IServiceProvider requestServices)
    {
        Accountability = accountability;
        RequestServices = requestServices;
    }

    public Accountability Accountability { get; }

    public IServiceProvider RequestServices { get; }

    /// <summary>The request's raw HTTP <c>If-Match</c> header (promoteArtifact's precondition); null when absent.</summary>
    public string? IfMatch { get; init; }

    /// <summary>The request's batch loaders: one per relation and argument set, alive for this request only.</summary>
    public DataLoaderContext Loaders { get; } = new();
}
