namespace ArtifactGraph.Server.Directus.Write;

/// <summary>
/// An item to create: <paramref name="Data"/> is the caller's payload, which the caller's permission must allow (fields,
/// validation) and which its presets complete; <paramref name="SetServerValues"/>, when given, then sets on the entity
/// what the server decides itself (never checked against the permission), before the row is saved;
/// <paramref name="RecordedFields"/> names those of them that Directus records in the revision as part of the payload
/// (an upload's <c>storage</c>, <c>filename_download</c> and <c>type</c>).
/// </summary>
public sealed record NewItem(IDictionary<string, object?> Data, Action<object>? SetServerValues = null, IReadOnlyList<string>? RecordedFields = null);
