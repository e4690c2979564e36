using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Loading;

namespace ArtifactGraph.Server.Items;

/// <summary>
/// One request's read state, whatever the transport (GraphQL, REST, a WebSocket event): who reads, and the batch
/// loaders that collect the relations of the rows read so far. Never outlives its request.
/// </summary>
public sealed class ReadContext(Accountability accountability, bool primesJoinedLoaders = true)
{
    public Accountability Accountability { get; } = accountability;

    public AccessRules Access => Accountability.Access;

    /// <summary>
    /// Whether reads hand the items their joins read to the batch loaders of those many-to-one fields (GraphQL's
    /// resolvers find them there). A reader that takes joined items from the rows themselves turns it off.
    /// </summary>
    public bool PrimesJoinedLoaders { get; } = primesJoinedLoaders;

    /// <summary>The request's batch loaders: one per relation and argument set, alive for this request only.</summary>
    public DataLoaderContext Loaders { get; } = new();
}
