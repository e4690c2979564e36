namespace ArtifactGraph.Server.Directus.Query;

/// <summary>The limits a read obeys (QUERY_LIMIT_DEFAULT, QUERY_LIMIT_MAX, MAX_RELATIONAL_DEPTH).</summary>
public sealed record ReadOptions(int DefaultLimit = 100, int? MaxLimit = null, int MaxRelationalDepth = 10, bool CompiledQueries = true);
