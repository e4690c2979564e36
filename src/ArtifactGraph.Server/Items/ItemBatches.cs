using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;

namespace ArtifactGraph.Server.Items;

/// <summary>
/// A root list read and loaded one batch at a time, so that an answer of any size is written as it is read, in bounded
/// memory: the first batch reads at most <see cref="ReadOptions.FirstBatchSize"/> root rows, each later one at most
/// <see cref="ReadOptions.BatchSize"/> (in keyset order when the sort allows it, see <see cref="KeysetOrder"/>; else by
/// offset); each loads its rows' relations through a fresh set of batch loaders (one statement per relation level, as
/// for any list), and is dropped when the next one is read. The batches run on one <see cref="ItemSnapshot"/>, so
/// together they are the list one single read would have given. The offset (or page) applies once, to the first batch;
/// the limit to them all.
/// </summary>
public sealed class ItemBatches
{
    /// <summary>
    /// Root rows of the first batch unless <c>QUERY_FIRST_BATCH_SIZE</c> says otherwise: a list of a few thousand rows,
    /// the common large answer (every approved version of a project's paths), is then one statement. In batches of 1,000
    /// such a list of 3,250 rows took four statements, and each continuation read and sorted every row after its cursor
    /// (PostgreSQL, expecting few rows after it, reads them all rather than in index order up to the limit): p50 17.6 ms
    /// against 9.9 ms now (100,000 versions, one connection). A longer list goes on in batches of <see cref="DefaultSize"/>,
    /// whose continuations PostgreSQL reads in index order, and which keep the memory held at one small batch's: in
    /// batches of 4,096 throughout, the server's peak RSS over a list of a million versions with their files rose from
    /// about 185 MB to 340–370 MB.
    /// </summary>
    public const int DefaultFirstSize = 4096;

    /// <summary>Root rows of each batch after the first unless <c>QUERY_BATCH_SIZE</c> says otherwise (see <see cref="DefaultFirstSize"/>).</summary>
    public const int DefaultSize = 1000;

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
    /// Whether a list with these read arguments is read in batches: when it may hold more than the first batch (no limit,
    /// or a limit above <see cref="ReadOptions.FirstBatchSize"/>). Smaller lists are read in one statement, as they always were.
    /// </summary>
    public static bool Streams(QueryArgs args, ReadOptions options)
        => args.Window(options.DefaultLimit, options.MaxLimit).Take is not { } take || take > options.FirstBatchSize;

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
        var first = read == 0;
        var take = Math.Min(first ? reader.Options.FirstBatchSize : reader.Options.BatchSize, remaining ?? int.MaxValue);
        // One row more than the batch tells whether another batch follows, without a statement that finds nothing.
        var wanted = take + (remaining is { } left && left <= take ? 0 : 1);
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
