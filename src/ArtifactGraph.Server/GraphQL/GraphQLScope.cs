namespace ArtifactGraph.Server.GraphQL;

/// <summary>The two GraphQL endpoints of Directus: user collections (<c>/graphql</c>) and system (<c>/graphql/system</c>).</summary>
public enum GraphQLScope
{
    Items,
    System,
}
