namespace ArtifactGraph.Data.Legacy;

/// <summary>What <see cref="LegacyArrayMigrator"/> did; <see cref="Columns"/> is empty when no legacy column was left.</summary>
public sealed record LegacyArrayResult(IReadOnlyList<LegacyColumnResult> Columns, bool ColumnsDropped)
{
    public bool NothingToDo => Columns.Count == 0;
}

/// <param name="Column">The legacy column, as <c>table.column</c>.</param>
/// <param name="RowsScanned">Rows whose column was not null.</param>
/// <param name="LinksCreated">Junction rows inserted.</param>
/// <param name="LinksPresent">Ids whose junction row already existed (from an earlier run, or repeated in an array).</param>
/// <param name="PrimaryFilesSet">Rows whose empty <c>primary_file_id</c> was set; null for a column without one (tasks).</param>
/// <param name="Skipped">Ids (or whole values) that were not migrated, with the reason.</param>
public sealed record LegacyColumnResult(
    string Column, int RowsScanned, int LinksCreated, int LinksPresent, int? PrimaryFilesSet, IReadOnlyList<LegacySkippedId> Skipped);

/// <param name="Row">The id of the row holding the array.</param>
/// <param name="Value">The skipped element as JSON (or the whole value when it is not a JSON array).</param>
public sealed record LegacySkippedId(string Row, string Value, string Reason);
