namespace ArtifactGraph.Server.Directus.Query;

/// <summary>
/// The limits a read obeys (QUERY_LIMIT_DEFAULT, QUERY_LIMIT_MAX, MAX_RELATIONAL_DEPTH), and the root rows of the first
/// and of each later batch of a large answer (QUERY_FIRST_BATCH_SIZE, QUERY_BATCH_SIZE, see <see cref="Items.ItemBatches"/>).
/// </summary>
public sealed record ReadOptions(
    int DefaultLimit = 100, int? MaxLimit = null, int MaxRelationalDepth = 10, bool CompiledQueries = true,
    int FirstBatchSize = Items.ItemBatches.DefaultFirstSize, int BatchSize = Items.ItemBatches.DefaultSize);
