using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ArtifactGraph.Data.Diagnostics;

/// <summary>
/// Counts the SQL commands EF Core executes (queries, inserts, updates…), across all contexts that
/// share it. Tests read it to check how many statements a request costs; thread-safe.
/// </summary>
public sealed class StatementCounter : DbCommandInterceptor
{
    private static readonly AsyncLocal<System.Runtime.CompilerServices.StrongBox<long>?> RequestScope = new();

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _texts = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>When set, the SQL text of every statement is kept (for tests that look at what was read).</summary>
    public bool KeepText { get; set; }

    public IReadOnlyList<string> Texts => [.. _texts];

    /// <summary>
    /// Starts counting the statements of the current asynchronous flow (a request and everything it awaits) in a box of its
    /// own, besides <see cref="Count"/>; the metrics read it when the request ends.
    /// </summary>
    public static System.Runtime.CompilerServices.StrongBox<long> BeginScope() => RequestScope.Value = new();

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        _texts.Clear();
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Increment(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Increment(command);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Increment(command);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Increment(command);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Increment(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Increment(command);
        return ValueTask.FromResult(result);
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Increment(command);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Increment(command);
        return Task.CompletedTask;
    }

    private void Increment(DbCommand command) => Record(command.CommandText);

    /// <summary>Counts one statement sent outside EF Core's commands (an Npgsql batch on a context's connection: <see cref="ContextBatches"/>).</summary>
    public void Record(string commandText)
    {
        Interlocked.Increment(ref _count);
        if (RequestScope.Value is { } scope)
        {
            Interlocked.Increment(ref scope.Value);
        }

        if (KeepText)
        {
            _texts.Enqueue(commandText);
        }
    }
}
