using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Items;
using ArtifactGraph.Server.Loading;

namespace ArtifactGraph.Server.GraphQL;

/// <summary>Per-request state handed to resolvers: who asks, the request's services and its batch loaders.</summary>
public sealed class GraphQLUserContext : Dictionary<string, object?>
{
    public GraphQLUserContext(Accountability accountability, IServiceProvider requestServices, bool primesJoinedLoaders = true)
    {
        Read = new ReadContext(accountability, primesJoinedLoaders);
        RequestServices = requestServices;
    }

    /// <summary>
    /// The same request state reading through <paramref name="read"/>: one subscription event's fields, resolved from the
    /// read state its batch was read in (shared by the subscribers with the same permissions and selection).
    /// </summary>
    public GraphQLUserContext WithRead(ReadContext read) => new(read, this);

    private GraphQLUserContext(ReadContext read, GraphQLUserContext source)
    {
        Read = read;
        RequestServices = source.RequestServices;
        Subscribable = source.Subscribable;
        IfMatch = source.IfMatch;
        FieldArgs = source.FieldArgs;
    }

    /// <summary>Whether subscriptions of this request deliver events (a WebSocket connection; not an HTTP request).</summary>
    public bool Subscribable { get; init; }

    /// <summary>The transport-neutral read state (caller, batch loaders) the items layer works with.</summary>
    public ReadContext Read { get; }

    public Accountability Accountability => Read.Accountability;

    public IServiceProvider RequestServices { get; }

    /// <summary>The request's raw HTTP <c>If-Match</c> header (promoteArtifact's precondition); null when absent.</summary>
    public string? IfMatch { get; init; }

    /// <summary>The request's batch loaders: one per relation and argument set, alive for this request only.</summary>
    public DataLoaderContext Loaders => Read.Loaders;

    /// <summary>
    /// The read arguments (and needed columns) of each field node of the document, parsed once per request: a
    /// relation's resolver runs once per parent row, with the same node and the same arguments every time.
    /// </summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<(GraphQLParser.AST.GraphQLField Node, string Collection), Directus.Query.QueryArgs> FieldArgs { get; private init; } = new();
}
