namespace ArtifactGraph.Data;

/// <summary>The database engine behind ArtifactGraph (Directus's <c>DB_CLIENT</c>).</summary>
public enum DatabaseClient
{
    Sqlite,
    Postgres,
}
