using ArtifactGraph.Server.Auth;
using GraphQL.Types;

namespace ArtifactGraph.Server.GraphQL;

/// <summary>Gives the (cached) schema a caller sees on an endpoint, as Directus builds one per accountability.</summary>
public interface IDirectusSchemaProvider
{
    ISchema GetSchema(GraphQLScope scope, Accountability accountability);
}
