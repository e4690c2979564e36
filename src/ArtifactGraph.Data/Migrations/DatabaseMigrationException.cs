namespace ArtifactGraph.Data.Migrations;

/// <summary>A migration script failed; <see cref="Script"/> names it (e.g. <c>postgres.0003_constraints.sql</c>).</summary>
public sealed class DatabaseMigrationException(string message, string? script, Exception? inner) : Exception(message, inner)
{
    public string? Script { get; } = script;
}
