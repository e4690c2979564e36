using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace ArtifactGraph.Data.Diagnostics;

/// <summary>
/// Statements a write sends together in one round trip (PostgreSQL): an Npgsql batch on the context's own connection, in
/// its transaction, counted by the context's <see cref="StatementCounter"/> as EF Core's own commands are (per request
/// and in tests).
/// </summary>
public static class ContextBatches
{
    /// <summary>Sends <paramref name="commands"/> in order, in one round trip; nothing when there are none.</summary>
    public static async Task ExecuteAsync(DbContext db, IReadOnlyCollection<NpgsqlBatchCommand> commands, CancellationToken cancellationToken)
    {
        if (commands.Count == 0)
        {
            return;
        }

        await using var batch = Batch(db, commands);
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            Count(db, commands);
        }
    }

    /// <summary>Sends <paramref name="commands"/> in order, in one round trip, and reads their results with <paramref name="read"/>.</summary>
    public static async Task<T> ReadAsync<T>(
        DbContext db, IReadOnlyCollection<NpgsqlBatchCommand> commands, Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var batch = Batch(db, commands);
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            return await read(reader, cancellationToken);
        }
        finally
        {
            Count(db, commands);
        }
    }

    private static NpgsqlBatch Batch(DbContext db, IReadOnlyCollection<NpgsqlBatchCommand> commands)
    {
        var batch = new NpgsqlBatch(
            (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    // A failed statement counts too, as StatementCounter counts EF Core's failed commands.
    private static void Count(DbContext db, IReadOnlyCollection<NpgsqlBatchCommand> commands)
    {
        if (db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<StatementCounter>().FirstOrDefault() is { } counter)
        {
            foreach (var command in commands)
            {
                counter.Record(command.CommandText);
            }
        }
    }
}
