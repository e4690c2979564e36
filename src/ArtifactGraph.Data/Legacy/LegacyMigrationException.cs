namespace ArtifactGraph.Data.Legacy;

/// <summary>The legacy array migration failed; its transaction was rolled back, so nothing changed.</summary>
public sealed class LegacyMigrationException(string message, Exception? inner = null) : Exception(message, inner);
