using System.Collections;
using System.Text.Json;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Directus.Schema;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Http;
using ArtifactGraph.Server.Items;
using ArtifactGraph.Server.Loading;
using GraphQL.DataLoader;
using GraphQL.Types;
using Microsoft.IO;

namespace ArtifactGraph.Server.GraphQL.Direct;

/// <summary>
/// Answers a <see cref="DirectQueryPlan"/> without GraphQL.NET's execution engine: it reads level by level through
/// the same readers and batch loaders as the resolvers (so the same statements, and the same rows for the same
/// caller), then writes the JSON answer straight from the entities. A large answer (100 items with their files)
/// has thousands of fields; the engine spends most of its time on per-field bookkeeping that a plain read does not
/// need. Whenever the answer would not be plain data (an error, a null where the schema allows none, an unknown
/// item), <see cref="DirectQueryUnsupportedException"/> hands the request back to GraphQL.NET, which gives the error
/// exactly as before; reads have no side effects, so running again is safe. A read that fails in the database is not
/// run again: <see cref="DirectQueryReadException"/> names the root field it failed for.
/// </summary>
internal static class DirectQueryExecutor
{
    /// <summary>The whole answer, in a pooled buffer (the caller disposes it); lists of any size are read whole.</summary>
    public static async Task<RecyclableMemoryStream> ExecuteAsync(
        DirectQueryPlan plan, GraphQLUserContext user, ItemReader reader, JsonSerializerOptions serializer, CancellationToken cancellationToken)
        => (await AnswerAsync(plan, user, reader, serializer, streamable: false, cancellationToken)).Body!;

    /// <summary>
    /// The answer: complete in a buffer, or, when <paramref name="streamable"/> and a root list may be larger than a
    /// batch (<see cref="ItemBatches.Streams"/>), a <see cref="DirectStreamedAnswer"/> whose first batches are read
    /// (so that anything that fails there is answered as before) and whose later batches are read as it is written.
    /// </summary>
    public static async Task<DirectAnswer> AnswerAsync(
        DirectQueryPlan plan, GraphQLUserContext user, ItemReader reader, JsonSerializerOptions serializer, bool streamable, CancellationToken cancellationToken)
    {
        ItemSnapshot? snapshot = null;
        try
        {
            foreach (var root in plan.Roots)
            {
                try
                {
                    if (streamable && root.Kind == RootKind.List && ItemBatches.Streams(root.Args, reader.Options))
                    {
                        // All the streamed lists of a query read one snapshot, on one connection, one after the other.
                        snapshot ??= await reader.BeginSnapshotAsync(cancellationToken);
                        root.Batches = await ItemBatches.OpenAsync(snapshot, root.Collection!, root.Selection!, root.Args, user.Accountability, cancellationToken);
                    }
                    else
                    {
                        await ReadAsync(root, user, reader, cancellationToken);
                    }
                }
                catch (Exception ex) when (ex is not (DirectQueryUnsupportedException or DirectusException or OperationCanceledException))
                {
                    throw new DirectQueryReadException(root, ex);
                }
            }

            if (snapshot is not null)
            {
                var streamed = new DirectStreamedAnswer(plan, snapshot, serializer);
                snapshot = null;
                return new DirectAnswer(null, streamed);
            }
        }
        finally
        {
            if (snapshot is not null)
            {
                await snapshot.DisposeAsync();
            }
        }

        var body = GraphQLResponseWriter.NewBuffer();
        try
        {
            using var writer = GraphQLResponseWriter.CreateWriter(body);
            await WriteAsync(writer, null, plan, serializer, CancellationToken.None);
            writer.Flush();
            return new DirectAnswer(body, null);
        }
        catch
        {
            await body.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Writes <c>{"data":{…}}</c>; a list read in batches is written batch by batch, each handed to <paramref name="output"/>
    /// and flushed before the next is read (<paramref name="output"/> is null for a buffered answer, which has none).
    /// </summary>
    internal static async Task WriteAsync(
        Utf8JsonWriter writer, System.IO.Pipelines.PipeWriter? output, DirectQueryPlan plan, JsonSerializerOptions serializer, CancellationToken cancellationToken)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("data");
        writer.WriteStartObject();
        foreach (var root in plan.Roots)
        {
            writer.WritePropertyName(root.ResponseKey);
            switch (root.Kind)
            {
                case RootKind.Typename:
                    writer.WriteStringValue(root.TypeName);
                    break;
                case RootKind.List when root.Batches is { } batches:
                    await StreamedResponse.WriteBatchesAsync(writer, output!, batches, row => WriteObject(writer, root.Selection!, row, serializer), cancellationToken);
                    break;
                case RootKind.List:
                    writer.WriteStartArray();
                    foreach (var row in root.Rows)
                    {
                        WriteObject(writer, root.Selection!, row, serializer);
                    }

                    writer.WriteEndArray();
                    break;
                case RootKind.ById:
                    WriteObject(writer, root.Selection!, root.Rows[0], serializer);
                    break;
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static async Task ReadAsync(RootPlan root, GraphQLUserContext user, ItemReader reader, CancellationToken cancellationToken)
    {
        var access = user.Accountability.Access;
        switch (root.Kind)
        {
            case RootKind.List:
                root.Rows = await reader.ReadManyAsync(root.Collection!, root.Args, access, cancellationToken);
                break;
            case RootKind.ById:
                root.Rows = await reader.ReadWhereInAsync(root.Collection!, root.Collection!.PrimaryKey, [root.Key!], root.Args, null, access, cancellationToken);
                if (root.Rows.Count == 0)
                {
                    // Directus answers FORBIDDEN: the resolver gives that error.
                    throw new DirectQueryUnsupportedException();
                }

                break;
            default:
                return;
        }

        await ItemTreeLoader.LoadAsync(root.Selection!, root.Rows, user.Read, reader, cancellationToken);
    }

    private static void WriteObject(Utf8JsonWriter writer, SelectionPlan selection, object row, JsonSerializerOptions serializer)
    {
        writer.WriteStartObject();
        var fields = selection.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            writer.WritePropertyName(field.EncodedKey);
            switch (field.Kind)
            {
                case ItemFieldKind.Computed:
                    writer.WriteStringValue(selection.EncodedTypeName);
                    break;
                case ItemFieldKind.Scalar when field.ScalarWriter is { } write:
                    write(writer, row);
                    break;
                case ItemFieldKind.Scalar:
                    // Columns without a typed writer (dates, JSON, csv…): as the resolver completes them.
                    WriteValue(writer, field.Type!, ObjectTypes.OutputValue(field.Field!, field.Field!.Getter(row)), serializer);
                    break;
                case ItemFieldKind.JoinedManyToOne or ItemFieldKind.ManyToOne:
                    // A join leaves the navigation null when the foreign key is (no need to box the key to check).
                    WriteItem(writer, field.ChildPlan!, field.RelatedItem(row), serializer);
                    break;
                case ItemFieldKind.OneToMany:
                    writer.WriteStartArray();
                    var children = field.Children(selection.Collection, row);
                    for (var c = 0; c < children.Count; c++)
                    {
                        WriteObject(writer, field.ChildPlan!, children[c], serializer);
                    }

                    writer.WriteEndArray();
                    break;
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteItem(Utf8JsonWriter writer, SelectionPlan selection, object? item, JsonSerializerOptions serializer)
    {
        if (item is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            WriteObject(writer, selection, item, serializer);
        }
    }

    /// <summary>A leaf value as GraphQL.NET completes and writes it: the scalar's <c>Serialize</c>, then System.Text.Json.</summary>
    private static void WriteValue(Utf8JsonWriter writer, IGraphType type, object? value, JsonSerializerOptions serializer)
    {
        switch (type)
        {
            case NonNullGraphType nonNull:
                if (value is null)
                {
                    throw new DirectQueryUnsupportedException();
                }

                WriteValue(writer, nonNull.ResolvedType!, value, serializer);
                return;
            case ListGraphType list:
                if (value is null)
                {
                    writer.WriteNullValue();
                    return;
                }

                if (value is not IEnumerable items || value is string)
                {
                    throw new DirectQueryUnsupportedException();
                }

                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, list.ResolvedType!, item, serializer);
                }

                writer.WriteEndArray();
                return;
            case ScalarGraphType scalar:
                switch (value is null ? null : scalar.Serialize(value))
                {
                    case null:
                        writer.WriteNullValue();
                        break;
                    case string s:
                        writer.WriteStringValue(s);
                        break;
                    case int i:
                        writer.WriteNumberValue(i);
                        break;
                    case bool b:
                        writer.WriteBooleanValue(b);
                        break;
                    case var other:
                        JsonSerializer.Serialize(writer, other, other.GetType(), serializer);
                        break;
                }

                return;
            default:
                throw new DirectQueryUnsupportedException();
        }
    }
}

/// <summary>A direct answer: complete in <see cref="Body"/>, or to be written as it is read (<see cref="Streamed"/>).</summary>
internal sealed record DirectAnswer(RecyclableMemoryStream? Body, DirectStreamedAnswer? Streamed);

/// <summary>
/// A direct answer whose large lists are read in batches while it is written (<see cref="ItemBatches"/>), over one
/// snapshot. Once its first bytes are sent its status (200) is too: a failure after that cannot become an error answer,
/// and the writer of the response aborts the connection instead (see <see cref="Http.StreamedResponse"/>).
/// </summary>
internal sealed class DirectStreamedAnswer(DirectQueryPlan plan, ItemSnapshot snapshot, JsonSerializerOptions serializer) : IStreamedAnswer
{
    public async Task WriteAsync(System.IO.Pipelines.PipeWriter output, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(output, GraphQLResponseWriter.WriterOptions);
        await DirectQueryExecutor.WriteAsync(writer, output, plan, serializer, cancellationToken);
        await writer.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => snapshot.DisposeAsync();
}

/// <summary>The direct answer would differ from GraphQL.NET's (an error, a null in a non-null field): run the query through the engine.</summary>
internal sealed class DirectQueryUnsupportedException : Exception
{
}

/// <summary>
/// A root field's read failed (in the database, or anything else unexpected): answered as that field's error, without
/// running the query again through the engine, which would only meet the same failure a second time.
/// </summary>
internal sealed class DirectQueryReadException(RootPlan root, Exception inner) : Exception(inner.Message, inner)
{
    public RootPlan Root { get; } = root;
}
