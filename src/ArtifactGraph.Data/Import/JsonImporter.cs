using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace ArtifactGraph.Data.Import;

/// <summary>
/// Loads a document <c>{ "collection": [ { "column": value, … } ] }</c> (the shape of Directus's
/// seed-data.json) into the database, generically over the EF model: collections are found by their
/// <c>Directus:Collection</c> name, columns by column name. All rows go in one transaction, in
/// foreign-key order; the first bad row rolls everything back with an <see cref="ImportException"/>.
/// The document is read twice (its shape first, then each collection's rows as they are inserted), so memory does not
/// grow with its size; PostgreSQL gets the rows by binary COPY.
/// </summary>
public static class JsonImporter
{
    private const int EfChunkSize = 1000;
    private const int CopyChunkSize = 10_000;
    private const string ChunkSavepoint = "import_chunk";

    public static Task<ImportResult> ImportAsync(ArtifactGraphDbContext db, Stream json, CancellationToken cancellationToken)
        => ImportAsync(db, json, beforeCommit: null, cancellationToken);

    /// <param name="json">Read twice: a stream that cannot seek is first copied to a temporary file.</param>
    /// <param name="beforeCommit">Runs inside the transaction once every row is in, with the collections that got rows.</param>
    public static async Task<ImportResult> ImportAsync(
        ArtifactGraphDbContext db, Stream json, Func<IReadOnlyList<string>, CancellationToken, Task>? beforeCommit, CancellationToken cancellationToken)
    {
        await using var seekable = json.CanSeek ? null : await CopyToTemporaryFileAsync(json, cancellationToken);
        var document = seekable ?? json;
        var collections = ImportDocument.Scan(db.Model, document, cancellationToken);

        var strategy = db.Database.CreateExecutionStrategy();
        var counts = new int[collections.Count];
        await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            for (var i = 0; i < collections.Count; i++)
            {
                counts[i] = db.IsSqlite
                    ? await InsertWithEfAsync(db, collections[i], ImportPlan.ReadRows(document, collections[i]), ct)
                    : await CopyAsync(db, transaction, collections[i], ImportPlan.ReadRows(document, collections[i]), ct);
            }

            var filled = collections.Where((_, i) => counts[i] > 0).ToList();
            if (!db.IsSqlite)
            {
                await AdvanceSequencesAsync(db, filled.Select(c => c.EntityType), ct);
            }

            if (beforeCommit is not null)
            {
                await beforeCommit([.. filled.Select(c => c.Name).Distinct()], ct);
            }

            await transaction.CommitAsync(ct);
        }, cancellationToken);

        return new ImportResult(collections.Select((c, i) => KeyValuePair.Create(c.Name, counts[i])).ToList());
    }

    private static async Task<FileStream> CopyToTemporaryFileAsync(Stream json, CancellationToken cancellationToken)
    {
        var copy = new FileStream(
            Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        await json.CopyToAsync(copy, cancellationToken);
        copy.Position = 0;
        return copy;
    }

    /// <summary>
    /// Each chunk is one binary COPY inside a savepoint. The database refusing a chunk (a bad foreign key, a duplicate
    /// key…) sends the transaction back to the savepoint and the chunk goes again through EF, whose row by row replay
    /// names the bad row with the message an INSERT gives.
    /// </summary>
    private static async Task<int> CopyAsync(
        ArtifactGraphDbContext db, IDbContextTransaction transaction, ImportCollection collection, IEnumerable<ImportRow> rows, CancellationToken cancellationToken)
    {
        var copy = new PostgresCopy(collection.EntityType);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var count = 0;
        foreach (var chunk in rows.Chunk(CopyChunkSize))
        {
            await transaction.CreateSavepointAsync(ChunkSavepoint, cancellationToken);
            bool copied;
            try
            {
                copied = await copy.TryCopyAsync(connection, chunk, cancellationToken);
            }
            catch (PostgresException)
            {
                await transaction.RollbackToSavepointAsync(ChunkSavepoint, cancellationToken);
                copied = false;
            }

            if (!copied)
            {
                await InsertWithEfAsync(db, collection, chunk, cancellationToken);
            }

            await transaction.ReleaseSavepointAsync(ChunkSavepoint, cancellationToken);
            count += chunk.Length;
        }

        return count;
    }

    private static async Task<int> InsertWithEfAsync(
        ArtifactGraphDbContext db, ImportCollection collection, IEnumerable<ImportRow> rows, CancellationToken cancellationToken)
    {
        // Rows go in chunks, one SaveChanges (a few round trips) each. Inside our transaction EF wraps every SaveChanges
        // in a savepoint and rolls back to it on failure, so a failing chunk is replayed row by row to name its bad row.
        var count = 0;
        foreach (var chunk in rows.Chunk(EfChunkSize))
        {
            if (!await TryInsertAsync(db, chunk, cancellationToken))
            {
                await InsertRowByRowAsync(db, collection, chunk, cancellationToken);
            }

            count += chunk.Length;
        }

        return count;
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

    private static async Task InsertRowByRowAsync(
        ArtifactGraphDbContext db, ImportCollection collection, ImportRow[] rows, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
        {
            db.Add(row.Entity);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex)
            {
                var reason = ex.InnerException?.Message ?? ex.Message;
                throw ImportException.ForRow(collection.Name, row.Index, row.Id, reason.ReplaceLineEndings(" "), ex);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Rows came with explicit serial ids: move each sequence past them so later inserts do not collide.</summary>
    private static async Task AdvanceSequencesAsync(ArtifactGraphDbContext db, IEnumerable<IEntityType> entityTypes, CancellationToken cancellationToken)
    {
        foreach (var entityType in entityTypes)
        {
            var key = entityType.FindPrimaryKey()?.Properties;
            if (key is not [var id] || id.ValueGenerated != ValueGenerated.OnAdd || (id.ClrType != typeof(int) && id.ClrType != typeof(long)))
            {
                continue;
            }

            var table = entityType.GetTableName()!;
            var column = id.GetColumnName();
            var sql = $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), COALESCE(MAX(\"{column}\"), 1), MAX(\"{column}\") IS NOT NULL) FROM \"{table}\"";
            await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
        }
    }
}
