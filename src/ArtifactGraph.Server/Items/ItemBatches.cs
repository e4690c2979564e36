using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;

namespace ArtifactGraph.Server.Items;

/// <summary>
/// A root list read and loaded one batch at a time, so that an answer of any size is written as it is read, in bounded
/// memory: each batch reads at most <see cref="ReadOptions.BatchSize"/> root rows (in keyset order when the sort allows it, see
/// <see cref="KeysetOrder"/>; else by offset), loads their relations through a fresh set of batch loaders (one
/// statement per relation level, as for any list), and is dropped when the next one is read. The batches run on one
/// <see cref="ItemSnapshot"/>, so together they are the list one single read would have given. The offset (or page)
/// applies once, to the first batch; the limit to them all.
/// </summary>
public sealed class ItemBatches
{
    /// <summary>
    /// Root rows per batch unless <c>QUERY_BATCH_SIZE</c> says otherwise: at most four batch-loader statements per relation
    /// level (their batches hold 1,024 keys). A list of a few thousand rows, the common large answer (every approved
    /// version of a project's paths), is then one statement and no keyset continuation: at 1,000 such a list of 3,250
    /// rows took four batch statements, each continuation read and sorted every row after its cursor, and the request
    /// took about 12 ms at p50 against 8 ms now (100,000 versions, one connection). The memory held is still one batch's.
    /// </summary>
    public const int DefaultSize = 4096;

    private readonly ItemReader reader;
    private readonly CollectionModel collection;
    private readonly ItemSelection selection;
    private readonly QueryArgs args;
    private readonly Accountability who;
    private readonly KeysetOrder? order;
    private readonly int skip;
    private int? remaining;
    private int read;
    private KeysetCursor? cursor;
    private bool more = true;

    private ItemBatches(ItemReader reader, CollectionModel collection, ItemSelection selection, QueryArgs args, Accountability who)
    {
        this.reader = reader;
        this.collection = collection;
        this.selection = selection;
        this.who = who;
        order = KeysetOrder.Of(collection, args.Sort);
        // The last row's first key tells which part of the list the next batch continues in (see KeysetOrder.After).
        this.args = order is null ? args : args.WithColumn(order.Keys[0].Field.Property!.Name);
        (skip, remaining) = args.Window(reader.Options.DefaultLimit, reader.Options.MaxLimit);
    }

    /// <summary>The rows of the current batch, their relations loaded into the selection.</summary>
    public IReadOnlyList<object> Rows { get; private set; } = [];

    /// <summary>Whether the current batch is the list's last (<see cref="NextAsync"/> reads nothing more).</summary>
    public bool IsLast => !more;

    /// <summary>
    /// Whether a list with these read arguments is read in batches: when it may hold more than one batch (no limit, or a
    /// limit above <see cref="ReadOptions.BatchSize"/>). Smaller lists are read in one statement, as they always were.
    /// </summary>
    public static bool Streams(QueryArgs args, ReadOptions options)
        => args.Window(options.DefaultLimit, options.MaxLimit).Take is not { } take || take > options.BatchSize;

    /// <summary>Reads the first batch of the list through <paramref name="snapshot"/>'s reader (<paramref name="args"/> shaped for <paramref name="selection"/>).</summary>
    public static async Task<ItemBatches> OpenAsync(
        ItemSnapshot snapshot, CollectionModel collection, ItemSelection selection, QueryArgs args, Accountability who, CancellationToken cancellationToken)
    {
        var batches = new ItemBatches(snapshot.Reader, collection, selection, args, who);
        await batches.ReadAsync(cancellationToken);
        return batches;
    }

    /// <summary>Drops the current batch and reads the next; false (and no rows) once the list is complete.</summary>
    public async Task<bool> NextAsync(CancellationToken cancellationToken)
    {
        if (!more)
        {
            Rows = [];
            selection.Clear();
            return false;
        }

        await ReadAsync(cancellationToken);
        return true;
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        Rows = [];
        selection.Clear();
        var take = Math.Min(reader.Options.BatchSize, remaining ?? int.MaxValue);
        // One row more than the batch tells whether another batch follows, without a statement that finds nothing.
        var wanted = take + (remaining is { } left && left <= take ? 0 : 1);
        var first = read == 0;
        var rows = (await reader.ReadBatchAsync(
            collection, args, first ? skip : order is null ? skip + read : 0, wanted, order, first ? null : cursor, who.Access, cancellationToken)).ToList();
        // A part of a keyset list read to its end (the values of a nullable first key, or its nulls): the batch goes on
        // with the next part from its start, so that it is full and its extra row still tells whether another follows.
        for (var part = first ? null : cursor; rows.Count < wanted && part is { } done && order!.Following(done) is { } next; part = next)
        {
            rows.AddRange(await reader.ReadBatchAsync(collection, args, 0, wanted - rows.Count, order, next, who.Access, cancellationToken));
        }

        more = rows.Count > take;
        if (more)
        {
            rows = rows.Take(take).ToList();
        }

        read += rows.Count;
        remaining -= rows.Count;
        if (rows.Count > 0 && order is not null)
        {
            cursor = order.After(collection.PrimaryKey.Getter(rows[^1])!, order.Keys[0].Field.Getter(rows[^1]));
        }

        await ItemTreeLoader.LoadAsync(selection, rows, new ReadContext(who, primesJoinedLoaders: false), reader, cancellationToken);
        Rows = rows;
    }
}
