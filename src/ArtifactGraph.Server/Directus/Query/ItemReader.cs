using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Model;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Directus.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ArtifactGraph.Server.Directus.Query;

/// <summary>
/// Reads items for the GraphQL resolvers and batch loaders. Every method is one SQL statement on a context of its
/// own (from the pooled factory), so resolvers that GraphQL.NET runs in parallel never share a DbContext; a reader
/// of a snapshot (<see cref="BeginSnapshotAsync"/>) runs them all on its one context instead, one after the other.
/// </summary>
public sealed class ItemReader
{
    private readonly IDbContextFactory<ArtifactGraphDbContext> factory;
    private readonly ConcurrentDictionary<Type, TypedReader> readers;

    // The compiled shapes of all the readers (see CompiledShapes).
    private readonly ShapeBudget budget;

    // The context every statement of a snapshot's reader runs on; null: a context of its own per statement.
    private readonly ArtifactGraphDbContext? shared;

    /// <param name="foreignKeys">
    /// The foreign keys the database enforces (loaded at start-up): a many-to-one selected by its related key alone is
    /// read from the column where its key is enforced (see <see cref="JoinedRelation"/>).
    /// </param>
    public ItemReader(IDbContextFactory<ArtifactGraphDbContext> factory, ReadOptions options, EnforcedForeignKeys? foreignKeys = null)
    {
        this.factory = factory;
        readers = new();
        ForeignKeys = foreignKeys ?? new();
        budget = new(ShapeBudget.DefaultCapacity);
        Options = options;
        Filters = new(options.MaxRelationalDepth, ForeignKeys);
        Sorts = new(options.MaxRelationalDepth);
    }

    private ItemReader(ItemReader parent, ArtifactGraphDbContext shared)
    {
        factory = parent.factory;
        readers = parent.readers;
        budget = parent.budget;
        Options = parent.Options;
        Filters = parent.Filters;
        Sorts = parent.Sorts;
        ForeignKeys = parent.ForeignKeys;
        this.shared = shared;
    }

    public ReadOptions Options { get; }

    internal EnforcedForeignKeys ForeignKeys { get; }

    internal FilterTranslator Filters { get; }

    internal SortTranslator Sorts { get; }

    /// <summary>
    /// A reader whose statements all run on one connection, in one transaction, so that they all see the database as it
    /// was at the first of them (rows written meanwhile neither appear nor vanish): PostgreSQL's <c>REPEATABLE READ</c>,
    /// read only; SQLite's deferred transaction, whose snapshot (WAL) is taken by its first read. The caller uses it from
    /// one flow at a time and disposes it (which ends the transaction and frees the connection).
    /// </summary>
    public async Task<ItemSnapshot> BeginSnapshotAsync(CancellationToken cancellationToken)
    {
        var db = await factory.CreateDbContextAsync(cancellationToken);
        try
        {
            if (db.IsSqlite)
            {
                await db.Database.OpenConnectionAsync(cancellationToken);
                var own = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
                await db.Database.UseTransactionAsync(own, cancellationToken);
                return new ItemSnapshot(new ItemReader(this, db), db, own);
            }

            // Npgsql sends BEGIN with the next command: this one, which costs no round trip of its own then.
            await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            await using (var command = db.Database.GetDbConnection().CreateCommand())
            {
                command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
                command.CommandText = "SET TRANSACTION READ ONLY";
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return new ItemSnapshot(new ItemReader(this, db), db, null);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>How many read shapes have an EF Core compiled query (see <see cref="CompiledShapes{T}"/>).</summary>
    internal int CompiledShapeCount => readers.Values.Sum(r => r.CompiledShapeCount);

    /// <summary>A root list: filter, search, sort, then the page.</summary>
    public async Task<IReadOnlyList<object>> ReadManyAsync(CollectionModel collection, QueryArgs args, AccessRules access, CancellationToken cancellationToken)
    {
        var window = args.Window(Options.DefaultLimit, Options.MaxLimit);
        await using var lease = await LeaseAsync(cancellationToken);
        return await For(collection).ReadMany(this, lease.Db, collection, args, window, access, cancellationToken);
    }

    /// <summary>
    /// One batch of a root list (see <see cref="Items.ItemBatches"/>): filter, search and sort as <see cref="ReadManyAsync"/>,
    /// then <paramref name="skip"/> and <paramref name="take"/>; with <paramref name="after"/>, only the rows of its part
    /// of the list that sort after its row (keyset order), so that a batch costs the same wherever it is in the list.
    /// </summary>
    public async Task<IReadOnlyList<object>> ReadBatchAsync(
        CollectionModel collection, QueryArgs args, int skip, int take, KeysetOrder? order, KeysetCursor? after, AccessRules access, CancellationToken cancellationToken)
    {
        await using var lease = await LeaseAsync(cancellationToken);
        return await For(collection).ReadBatch(this, lease.Db, collection, args, skip, take, order, after, access, cancellationToken);
    }

    /// <summary>All rows whose <paramref name="keyField"/> is one of <paramref name="keys"/>, filtered and sorted by <paramref name="args"/>.</summary>
    public async Task<IReadOnlyList<object>> ReadWhereInAsync(
        CollectionModel collection, FieldModel keyField, IReadOnlyList<object> keys, QueryArgs args, IReadOnlyList<string>? defaultSort, AccessRules access,
        CancellationToken cancellationToken)
    {
        await using var lease = await LeaseAsync(cancellationToken);
        return await For(collection).ReadWhereIn(this, lease.Db, collection, keyField, keys, args, defaultSort, access, cancellationToken);
    }

    /// <summary>
    /// The items with these keys, shaped by the read arguments of a mutation (Directus's <c>readMany(keys, query)</c>):
    /// the limit defaults to the number of keys.
    /// </summary>
    public async Task<IReadOnlyList<object>> ReadKeysAsync(CollectionModel collection, IReadOnlyList<object> keys, QueryArgs args, AccessRules access, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var (skip, take) = (args with { Limit = args.Limit ?? keys.Count }).Window(keys.Count, null);
        var rows = await ReadWhereInAsync(collection, collection.PrimaryKey, keys, args, null, access, cancellationToken);
        return rows.Skip(skip).Take(take ?? int.MaxValue).ToList();
    }

    /// <summary>The number of rows per value of <paramref name="keyField"/> among <paramref name="keys"/>.</summary>
    public async Task<IReadOnlyDictionary<object, int>> CountWhereInAsync(
        CollectionModel collection, FieldModel keyField, IReadOnlyList<object> keys, AccessRules access, CancellationToken cancellationToken)
    {
        await using var lease = await LeaseAsync(cancellationToken);
        return await For(collection).CountWhereIn(this, lease.Db, collection, keyField, keys, access, cancellationToken);
    }

    /// <summary>One grouped query: the group keys followed by the requested aggregates, per group.</summary>
    public async Task<List<object?[]>> AggregateAsync(
        CollectionModel collection, QueryArgs args, IReadOnlyList<GroupSpec> groups, IReadOnlyList<AggregateSpec> aggregates, AccessRules access,
        CancellationToken cancellationToken)
    {
        await using var lease = await LeaseAsync(cancellationToken);
        return await For(collection).Aggregate(this, lease.Db, collection, args, groups, aggregates, access, cancellationToken);
    }

    /// <summary>The context a statement runs on: the snapshot's, or a new one from the pool (returned when the lease ends).</summary>
    private async ValueTask<Lease> LeaseAsync(CancellationToken cancellationToken)
        => shared is not null ? new Lease(shared, false) : new Lease(await factory.CreateDbContextAsync(cancellationToken), true);

    private readonly record struct Lease(ArtifactGraphDbContext Db, bool Owned) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Owned ? Db.DisposeAsync() : ValueTask.CompletedTask;
    }

    private TypedReader For(CollectionModel collection)
        => readers.GetOrAdd(collection.EntityType, t => (TypedReader)Activator.CreateInstance(typeof(TypedReader<>).MakeGenericType(t), budget)!);
}

/// <summary>
/// A reader over one snapshot of the database (<see cref="ItemReader.BeginSnapshotAsync"/>). Disposing it ends the
/// transaction (committed when it is still open; nothing was written) and returns its connection to the pool.
/// </summary>
/// <param name="own">
/// SQLite: the transaction begun on the connection and handed to EF Core, which does not own it. On PostgreSQL EF Core's
/// own transaction, and nothing else may touch the Npgsql transaction under it: ending EF's returns the connection to
/// the pool, and Npgsql gives the next user of that connection the same transaction object, so a late commit or dispose
/// through a reference kept here would end another request's transaction (a second flow on one connection: answers
/// mixed up, INTERNAL_SERVER_ERROR under load).
/// </param>
public sealed class ItemSnapshot(ItemReader reader, ArtifactGraphDbContext db, DbTransaction? own) : IAsyncDisposable
{
    public ItemReader Reader { get; } = reader;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (own is not null)
            {
                if (own.Connection is not null)
                {
                    await own.CommitAsync();
                }
            }
            else if (db.Database.CurrentTransaction is { } transaction)
            {
                await transaction.CommitAsync();
            }
        }
        catch (DbException)
        {
            // The connection failed (the answer was aborted for that already): nothing to end.
        }
        catch (InvalidOperationException)
        {
            // The transaction had ended with its connection.
        }
        finally
        {
            if (db.Database.CurrentTransaction is { } current)
            {
                await current.DisposeAsync();
            }

            if (own is not null)
            {
                await own.DisposeAsync();
            }

            await db.Database.CloseConnectionAsync();
            await db.DisposeAsync();
        }
    }
}
