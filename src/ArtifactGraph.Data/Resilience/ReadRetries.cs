namespace ArtifactGraph.Data.Resilience;

/// <summary>
/// Marks the code that only reads (a GraphQL query, a token or permission lookup, an asset), where a statement that failed
/// on a transient database fault may simply be sent again: nothing it did can have been written.
/// <see cref="ReadRetryingExecutionStrategy"/> retries only inside such a scope, so no write is ever repeated.
/// </summary>
public static class ReadRetries
{
    private static readonly AsyncLocal<bool> Reading = new();

    /// <summary>Whether the current flow is inside <see cref="Begin"/>.</summary>
    public static bool Active => Reading.Value;

    /// <summary>Until disposed, database reads of this flow (and the tasks it starts) are retried on transient faults.</summary>
    public static IDisposable Begin()
    {
        var outer = Reading.Value;
        Reading.Value = true;
        return new Scope(outer);
    }

    private sealed class Scope(bool outer) : IDisposable
    {
        public void Dispose() => Reading.Value = outer;
    }
}
