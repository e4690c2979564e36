using System.Text.Json;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ArtifactGraph.Data.Import;

/// <summary>
/// Loads a document <c>{ "collection": [ { "column": value, … } ] }</c> (the shape of Directus's
/// seed-data.json) into the database, generically over the EF model: collections are found by their
/// <c>Directus:Collection</c> name, columns by column name. All rows go in one transaction, in
/// foreign-key order; the first bad row rolls everything back with an <see cref="ImportException"/>.
/// </summary>
public static class JsonImporter
{
    private const int ChunkSize = 1000;

    public static Task<ImportResult> ImportAsync(ArtifactGraphDbContext db, Stream json, CancellationToken cancellationToken)
        => ImportAsync(db, json, beforeCommit: null, cancellationToken);

    /// <param name="beforeCommit">Runs inside the transaction once every row is in, with the collections that got rows.</param>
    public static async Task<ImportResult> ImportAsync(
        ArtifactGraphDbContext db, Stream json, Func<IReadOnlyList<string>, CancellationToken, Task>? beforeCommit, CancellationToken cancellationToken)
    {
        using var document = await ParseAsync(json, cancellationToken);
        var batches = ImportPlan.Build(db.Model, document.RootElement);

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            foreach (var batch in batches)
            {
                await InsertAsync(db, batch, ct);
            }

            if (!db.IsSqlite)
            {
                await AdvanceSequencesAsync(db, batches, ct);
            }

            if (beforeCommit is not null)
            {
                await beforeCommit([.. batches.Where(b => b.Rows.Count > 0).Select(b => b.Collection).Distinct()], ct);
            }

            await transaction.CommitAsync(ct);
        }, cancellationToken);

        return new ImportResult(batches.Select(b => KeyValuePair.Create(b.Collection, b.Rows.Count)).ToList());
    }

    private static async Task<JsonDocument> ParseAsync(Stream json, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(json, default, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new ImportException($"The import document is not valid JSON: {ex.Message}", ex);
        }
    }

    private static async Task InsertAsync(ArtifactGraphDbContext db, ImportBatch batch, CancellationToken cancellationToken)
    {
        // Rows go in chunks, one SaveChanges (a few round trips) each. Inside our transaction EF wraps every SaveChanges
        // in a savepoint and rolls back to it on failure, so a failing chunk is replayed row by row to name its bad row.
        foreach (var chunk in batch.Rows.Chunk(ChunkSize))
        {
            if (!await TryInsertAsync(db, chunk, cancellationToken))
            {
                foreach (var row in chunk)
                {
                    await InsertRowAsync(db, batch, row, cancellationToken);
                }
            }
        }
    }

    private static async Task<bool> TryInsertAsync(ArtifactGraphDbContext db, ImportRow[] rows, CancellationToken cancellationToken)
    {
        try
        {
            // Two rows with one key make AddRange throw before the database sees them; the row by row replay names the second.
            db.AddRange(rows.Select(r => r.Entity));
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException)
        {
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private static async Task InsertRowAsync(ArtifactGraphDbContext db, ImportBatch batch, ImportRow row, CancellationToken cancellationToken)
    {
        db.Add(row.Entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            var reason = ex.InnerException?.Message ?? ex.Message;
            throw ImportException.ForRow(batch.Collection, row.Index, row.Id, reason.ReplaceLineEndings(" "), ex);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Rows came with explicit serial ids: move each sequence past them so later inserts do not collide.</summary>
    private static async Task AdvanceSequencesAsync(ArtifactGraphDbContext db, IEnumerable<ImportBatch> batches, CancellationToken cancellationToken)
    {
        foreach (var batch in batches.Where(b => b.Rows.Count > 0))
        {
            var key = batch.EntityType.FindPrimaryKey()?.Properties;
            if (key is not [var id] || id.ValueGenerated != ValueGenerated.OnAdd || (id.ClrType != typeof(int) && id.ClrType != typeof(long)))
            {
                continue;
            }

            var table = batch.EntityType.GetTableName()!;
            var column = id.GetColumnName();
            var sql = $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), COALESCE(MAX(\"{column}\"), 1), MAX(\"{column}\") IS NOT NULL) FROM \"{table}\"";
            await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
        }
    }
}
