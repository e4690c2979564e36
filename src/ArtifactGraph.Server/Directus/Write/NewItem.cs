namespace ArtifactGraph.Server.Directus.Write;

/// <summary>
/// An item to create: <paramref name="Data"/> is the caller's payload, which the caller's permission must allow (fields,
/// validation) and which its presets complete; <paramref name="SetServerValues"/>, when given, then sets on the entity
/// what the server decides itself (never checked against the permission), before the row is saved.
/// </summary>
public sealed record NewItem(IDictionary<string, object?> Data, Action<object>? SetServerValues = null);
