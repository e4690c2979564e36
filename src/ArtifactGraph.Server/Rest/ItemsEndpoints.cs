using System.Text;
using System.Text.Json;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Directus.Write;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.Http;
using ArtifactGraph.Server.Items;
using ArtifactGraph.Server.Json;

namespace ArtifactGraph.Server.Rest;

/// <summary>
/// Directus's REST routes over the items layer: <c>/items/:collection[/:id]</c> for the model's collections and the
/// system collections' own routes (<c>/users</c>, <c>/roles</c>, <c>/policies</c>, <c>/access</c>, <c>/permissions</c>,
/// <c>/folders</c>, and <c>GET /files</c>), plus <c>/users/me</c>. Each request reads through the same readers, batch
/// loaders and access rules as GraphQL, and writes through the item writer (one transaction per request).
/// </summary>
internal static class ItemsEndpoints
{
    private static readonly string[] SystemRoutes = ["users", "roles", "policies", "access", "permissions", "folders", "files"];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/items/{collection}", (HttpContext context, string collection, RestHandler handler) => handler.ReadManyAsync(context, Items(handler, collection)));
        app.MapGet("/items/{collection}/{id}", (HttpContext context, string collection, string id, RestHandler handler) => handler.ReadOneAsync(context, Items(handler, collection), id));
        app.MapPost("/items/{collection}", (HttpContext context, string collection, RestHandler handler) => handler.CreateAsync(context, Items(handler, collection)));
        app.MapPatch("/items/{collection}", (HttpContext context, string collection, RestHandler handler) => handler.UpdateManyAsync(context, Items(handler, collection)));
        app.MapPatch("/items/{collection}/{id}", (HttpContext context, string collection, string id, RestHandler handler) => handler.UpdateOneAsync(context, Items(handler, collection), id));
        app.MapDelete("/items/{collection}", (HttpContext context, string collection, RestHandler handler) => handler.DeleteManyAsync(context, Items(handler, collection)));
        app.MapDelete("/items/{collection}/{id}", (HttpContext context, string collection, string id, RestHandler handler) => handler.DeleteOneAsync(context, Items(handler, collection), id));

        app.MapGet("/users/me", (HttpContext context, RestHandler handler) => handler.ReadMeAsync(context));
        foreach (var route in SystemRoutes)
        {
            var name = $"directus_{route}";
            app.MapGet($"/{route}", (HttpContext context, RestHandler handler) => handler.ReadManyAsync(context, System(handler, name)));
            app.MapGet($"/{route}/{{id}}", (HttpContext context, string id, RestHandler handler) => handler.ReadOneAsync(context, System(handler, name), id));
            app.MapPatch($"/{route}", (HttpContext context, RestHandler handler) => handler.UpdateManyAsync(context, System(handler, name)));
            app.MapDelete($"/{route}", (HttpContext context, RestHandler handler) => handler.DeleteManyAsync(context, System(handler, name)));
            if (route != "files")
            {
                // Files are created by upload and changed one by one on FileEndpoints' routes.
                app.MapPost($"/{route}", (HttpContext context, RestHandler handler) => handler.CreateAsync(context, System(handler, name)));
                app.MapPatch($"/{route}/{{id}}", (HttpContext context, string id, RestHandler handler) => handler.UpdateOneAsync(context, System(handler, name), id));
                app.MapDelete($"/{route}/{{id}}", (HttpContext context, string id, RestHandler handler) => handler.DeleteOneAsync(context, System(handler, name), id));
            }
        }
    }

    /// <summary>
    /// A user collection of <c>/items</c>; Directus answers a name it does not serve there as a collection the caller may not
    /// read (the system collections have their own routes).
    /// </summary>
    private static Func<CollectionModel> Items(RestHandler handler, string name)
        => () => handler.Model.TryGet(name, out var collection) && !collection.IsSystem
            ? collection
            : throw (name.StartsWith("directus_", StringComparison.Ordinal) ? DirectusException.Forbidden() : RestHandler.NoCollection(name));

    private static Func<CollectionModel> System(RestHandler handler, string name)
        => () => handler.Model.TryGet(name, out var collection) ? collection : throw DirectusException.Forbidden();
}

/// <summary>The work of each REST route (see <see cref="ItemsEndpoints"/>).</summary>
internal sealed class RestHandler(
    DirectusModel model, RequestAuthenticator authenticator, ItemReader reader, ItemWriter writer, ServerSettings settings, TimeProvider clock,
    Caching.ResponseCache cache, ILogger<RestHandler> logger)
{
    public DirectusModel Model { get; } = model;

    public static DirectusException NoCollection(string name)
        => DirectusException.Forbidden($"You don't have permission to access collection \"{name}\" or it does not exist. Queried in root.");

    public Task ReadManyAsync(HttpContext context, Func<CollectionModel> target) => ReadAsync(context, async who =>
    {
        var collection = Readable(target(), who);
        var query = RestQuery.Parse(context.Request.Query);
        var ct = context.RequestAborted;
        if (query.Aggregate is { Count: > 0 } || query.GroupBy.Count > 0)
        {
            var requested = query.Aggregate ?? [];
            var rows = await AggregateReader.ReadAsync(reader, collection, query.Args, query.GroupBy, requested, who.Access, ct);
            await AnswerAsync(context, 200, json =>
            {
                json.WritePropertyName("data");
                RestJson.WriteAggregates(json, rows, requested, collection);
            });
            return;
        }

        var selection = RestSelection.Build(collection, query.Fields, query.Deep, query.Alias, who.Access, reader.Options);
        if (ItemBatches.Streams(query.Args, reader.Options))
        {
            if (query.Export is { } file)
            {
                await RestExport.StreamAsync(context, reader, collection, selection, query.Args, who, file, clock, logger);
            }
            else
            {
                await StreamAsync(context, collection, selection, query, who);
            }

            return;
        }

        var items = await ReadAsync(collection, selection, query.Args, who, ct);
        var (total, filtered) = await CountsAsync(reader, collection, query, who, ct);
        if (query.Export is { } export)
        {
            await RestExport.WriteAsync(context, collection, selection, items, export, clock.GetUtcNow());
            return;
        }

        await AnswerAsync(context, 200, json =>
        {
            WriteMeta(json, total, filtered);
            json.WritePropertyName("data");
            RestJson.WriteItems(json, selection, items);
        });
    });

    /// <summary>
    /// A list that may be larger than a batch: its first batch and counts are read (an error there is answered as
    /// usual), then the answer is written batch by batch as it is read, over one snapshot (see <see cref="ItemBatches"/>).
    /// </summary>
    private async Task StreamAsync(HttpContext context, CollectionModel collection, RestSelection selection, RestQuery query, Accountability who)
    {
        var ct = context.RequestAborted;
        var snapshot = await reader.BeginSnapshotAsync(ct);
        ItemBatches batches;
        (long?, long?) counts;
        try
        {
            batches = await ItemBatches.OpenAsync(snapshot, collection, selection, selection.Shape(query.Args), who, ct);
            counts = await CountsAsync(snapshot.Reader, collection, query, who, ct);
        }
        catch
        {
            await snapshot.DisposeAsync();
            throw;
        }

        await StreamedResponse.WriteAsync(context, new StreamedList(snapshot, batches, selection, counts), logger);
    }

    /// <summary><c>meta=total_count,filter_count</c>: the counts asked for, read through <paramref name="counter"/>.</summary>
    private static async Task<(long? Total, long? Filtered)> CountsAsync(ItemReader counter, CollectionModel collection, RestQuery query, Accountability who, CancellationToken ct)
    {
        long? total = query.TotalCount ? await CountAsync(counter, collection, QueryArgs.None, who, ct) : null;
        long? filtered = query.FilterCount ? await CountAsync(counter, collection, QueryArgs.None with { Filter = query.Args.Filter, Search = query.Args.Search }, who, ct) : null;
        return (total, filtered);
    }

    private static void WriteMeta(Utf8JsonWriter json, long? total, long? filtered)
    {
        if (total is null && filtered is null)
        {
            return;
        }

        json.WritePropertyName("meta");
        json.WriteStartObject();
        if (total is { } t)
        {
            json.WriteNumber("total_count", t);
        }

        if (filtered is { } f)
        {
            json.WriteNumber("filter_count", f);
        }

        json.WriteEndObject();
    }

    /// <summary><c>{"meta":…,"data":[…]}</c> of a list read in batches, each batch flushed before the next is read.</summary>
    private sealed class StreamedList(ItemSnapshot snapshot, ItemBatches batches, RestSelection selection, (long? Total, long? Filtered) counts) : IStreamedAnswer
    {
        public async Task WriteAsync(System.IO.Pipelines.PipeWriter output, CancellationToken cancellationToken)
        {
            await using var json = new Utf8JsonWriter(output, GraphQLResponseWriter.WriterOptions);
            json.WriteStartObject();
            WriteMeta(json, counts.Total, counts.Filtered);
            json.WritePropertyName("data");
            await StreamedResponse.WriteBatchesAsync(json, output, batches, row => RestJson.WriteItem(json, selection, row), cancellationToken);
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => snapshot.DisposeAsync();
    }

    public Task ReadOneAsync(HttpContext context, Func<CollectionModel> target, string id) => ReadAsync(context, async who =>
    {
        var collection = Readable(target(), who);
        var key = ItemKeys.Parse(collection, id) ?? throw DirectusException.Forbidden();
        var query = RestQuery.Parse(context.Request.Query);
        var selection = RestSelection.Build(collection, query.Fields, query.Deep, query.Alias, who.Access, reader.Options);
        var rows = await ReadKeysAsync(collection, selection, [key], query.Args with { Sort = null, Limit = null, Offset = null, Page = null }, who, context.RequestAborted);
        var item = rows.Count > 0 ? rows[0] : throw DirectusException.Forbidden();
        await AnswerAsync(context, 200, json =>
        {
            json.WritePropertyName("data");
            RestJson.WriteItem(json, selection, item);
        });
    });

    /// <summary><c>GET /users/me</c>: the caller's own user (Directus: 403 for the public).</summary>
    public Task ReadMeAsync(HttpContext context) => ReadAsync(context, async who =>
    {
        if (who.UserId is not { } me)
        {
            throw DirectusException.Forbidden();
        }

        await ReadOneAsync(context, () => Model["directus_users"], me.ToString("D"));
    });

    public Task CreateAsync(HttpContext context, Func<CollectionModel> target) => RunAsync(context, async who =>
    {
        var collection = target();
        var body = await BodyAsync(context);
        var many = body is IList<object?>;
        var items = (many ? (IList<object?>)body! : [body]).Select(item => Payload(collection, item)).ToList();
        var keys = await writer.CreateAsync(collection, items, who, context.RequestAborted);
        await AnswerWrittenAsync(context, collection, who, keys, many);
    });

    public Task UpdateOneAsync(HttpContext context, Func<CollectionModel> target, string id) => RunAsync(context, async who =>
    {
        var collection = target();
        var key = ItemKeys.Parse(collection, id) ?? throw DirectusException.Forbidden();
        var data = Payload(collection, await BodyAsync(context));
        var updated = await writer.UpdateAsync(collection, [(key, data)], who, context.RequestAborted);
        if (updated.Count == 0)
        {
            throw DirectusException.Forbidden();
        }

        await AnswerWrittenAsync(context, collection, who, updated, many: false);
    });

    /// <summary><c>PATCH</c> of a collection: a batch <c>[{ id, … }]</c>, <c>{ keys, data }</c> or <c>{ query, data }</c>.</summary>
    public Task UpdateManyAsync(HttpContext context, Func<CollectionModel> target) => RunAsync(context, async who =>
    {
        var collection = target();
        var body = await BodyAsync(context);
        List<(object Key, IDictionary<string, object?> Data)> changes;
        if (body is IList<object?> batch)
        {
            changes = batch.Select(item =>
            {
                var data = Payload(collection, item);
                var key = data.TryGetValue(collection.PrimaryKey.Name, out var raw) && raw is not null
                    ? ItemKeys.From(collection, raw) ?? throw DirectusException.Forbidden()
                    : throw DirectusException.InvalidPayload($"Item in update misses primary key \"{collection.PrimaryKey.Name}\"");
                return (key, data);
            }).ToList();
        }
        else
        {
            var request = (IDictionary<string, object?>)body!;
            var data = request.TryGetValue("data", out var rawData) ? Payload(collection, rawData) : throw DirectusException.InvalidPayload("\"data\" is required");
            var keys = await KeysAsync(collection, request, who, context.RequestAborted);
            changes = keys.Select(k => (k, data)).ToList();
        }

        var updated = await writer.UpdateAsync(collection, changes, who, context.RequestAborted);
        await AnswerWrittenAsync(context, collection, who, updated, many: true);
    });

    public Task DeleteOneAsync(HttpContext context, Func<CollectionModel> target, string id) => RunAsync(context, async who =>
    {
        var collection = target();
        var key = ItemKeys.Parse(collection, id) ?? throw DirectusException.Forbidden();
        await writer.DeleteAsync(collection, [key], who, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    });

    /// <summary><c>DELETE</c> of a collection: <c>[keys]</c>, <c>{ keys }</c> or <c>{ query }</c>.</summary>
    public Task DeleteManyAsync(HttpContext context, Func<CollectionModel> target) => RunAsync(context, async who =>
    {
        var collection = target();
        var body = await BodyAsync(context);
        var keys = body is IList<object?> list
            ? list.Select(k => ItemKeys.From(collection, k) ?? throw DirectusException.Forbidden()).Distinct().ToList()
            : await KeysAsync(collection, (IDictionary<string, object?>)body!, who, context.RequestAborted);
        await writer.DeleteAsync(collection, keys, who, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    });

    /// <summary>The keys a body names: <c>keys</c>, or the items its <c>query</c> selects (all of them unless it has a limit).</summary>
    private async Task<List<object>> KeysAsync(CollectionModel collection, IDictionary<string, object?> body, Accountability who, CancellationToken ct)
    {
        if (body.TryGetValue("keys", out var rawKeys))
        {
            return (rawKeys as IList<object?> ?? throw DirectusException.InvalidPayload("\"keys\" has to be an array"))
                .Select(k => ItemKeys.From(collection, k) ?? throw DirectusException.Forbidden()).Distinct().ToList();
        }

        if (body.TryGetValue("query", out var rawQuery) && rawQuery is IDictionary<string, object?> queryObject)
        {
            var query = RestQuery.From(queryObject.AsReadOnly());
            var args = query.Args with { Limit = query.Args.Limit ?? -1, Columns = [collection.PrimaryKey.Property!.Name] };
            var rows = await reader.ReadManyAsync(collection, args, who.Access, ct);
            return rows.Select(r => collection.PrimaryKey.Getter(r)!).ToList();
        }

        throw DirectusException.InvalidPayload("Either \"keys\" or \"query\" is required");
    }

    private Task AnswerWrittenAsync(HttpContext context, CollectionModel collection, Accountability who, IReadOnlyList<object> keys, bool many)
        => AnswerWrittenAsync(context, reader, collection, who, keys, many);

    /// <summary>
    /// The written items read back with the request's <c>fields</c> (and the caller's permissions), in the order written:
    /// one object or a list; 204 when the caller may not read them (Directus). Uploads answer the same way.
    /// </summary>
    public static async Task AnswerWrittenAsync(
        HttpContext context, ItemReader reader, CollectionModel collection, Accountability who, IReadOnlyList<object> keys, bool many)
    {
        if (!who.Access.Can(collection, "read"))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var query = RestQuery.Parse(context.Request.Query);
        var selection = RestSelection.Build(collection, query.Fields, query.Deep, query.Alias, who.Access, reader.Options);
        var rows = await ReadKeysAsync(reader, collection, selection, keys, QueryArgs.None with { Limit = -1 }, who, context.RequestAborted);
        var order = keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i);
        var sorted = rows.OrderBy(r => order.GetValueOrDefault(collection.PrimaryKey.Getter(r)!, int.MaxValue)).ToList();
        if (!many && sorted.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        await AnswerAsync(context, 200, json =>
        {
            json.WritePropertyName("data");
            if (many)
            {
                RestJson.WriteItems(json, selection, sorted);
            }
            else
            {
                RestJson.WriteItem(json, selection, sorted[0]);
            }
        });
    }

    private async Task<IReadOnlyList<object>> ReadAsync(CollectionModel collection, RestSelection selection, QueryArgs args, Accountability who, CancellationToken ct)
    {
        var rows = await reader.ReadManyAsync(collection, selection.Shape(args), who.Access, ct);
        await ItemTreeLoader.LoadAsync(selection, rows, new ReadContext(who, primesJoinedLoaders: false), reader, ct);
        return rows;
    }

    private Task<IReadOnlyList<object>> ReadKeysAsync(
        CollectionModel collection, RestSelection selection, IReadOnlyList<object> keys, QueryArgs args, Accountability who, CancellationToken ct)
        => ReadKeysAsync(reader, collection, selection, keys, args, who, ct);

    private static async Task<IReadOnlyList<object>> ReadKeysAsync(
        ItemReader reader, CollectionModel collection, RestSelection selection, IReadOnlyList<object> keys, QueryArgs args, Accountability who, CancellationToken ct)
    {
        var rows = await reader.ReadWhereInAsync(collection, collection.PrimaryKey, keys, selection.Shape(args), null, who.Access, ct);
        await ItemTreeLoader.LoadAsync(selection, rows, new ReadContext(who, primesJoinedLoaders: false), reader, ct);
        return rows;
    }

    private static async Task<long> CountAsync(ItemReader reader, CollectionModel collection, QueryArgs args, Accountability who, CancellationToken ct)
    {
        var rows = await AggregateReader.ReadAsync(reader, collection, args, [], [("countAll", null)], who.Access, ct);
        return rows.Count > 0 ? rows[0].CountAll ?? 0 : 0;
    }

    private static CollectionModel Readable(CollectionModel collection, Accountability who)
        => who.Access.Can(collection, "read") ? collection : throw NoCollection(collection.Name);

    private static IDictionary<string, object?> Payload(CollectionModel collection, object? item)
        => item is IDictionary<string, object?> data
            ? ItemPayload.Normalize(collection, data)
            : throw DirectusException.InvalidPayload("Each item has to be an object");

    /// <summary>The JSON body (an object or an array), read as every client JSON is (<see cref="ClientJson"/>).</summary>
    private async Task<object?> BodyAsync(HttpContext context)
    {
        var bytes = await RequestBodyReader.ReadAsync(context.Request, settings.MaxPayloadSize, context.RequestAborted);
        if (bytes.Length == 0)
        {
            throw DirectusException.InvalidPayload("The request has no JSON body");
        }

        using var document = ClientJson.Parse(Encoding.UTF8.GetString(bytes), DirectusException.InvalidPayload);
        var value = ClientJson.ToValue(document.RootElement);
        return value is IDictionary<string, object?> or IList<object?>
            ? value
            : throw DirectusException.InvalidPayload("The body has to be a JSON object or array");
    }

    /// <summary>
    /// A read: as <see cref="RunAsync"/>, through the data cache when it is on (Directus's <c>CACHE_ENABLED</c>), keyed by
    /// the user, the path and the query string (without <c>access_token</c>); downloads (<c>export</c>) are never cached.
    /// </summary>
    private Task ReadAsync(HttpContext context, Func<Accountability, Task> work)
        => !cache.Enabled ? RunAsync(context, work) : RunAsync(context, async who =>
        {
            if (context.Request.Query.ContainsKey("export"))
            {
                cache.Bypass(context);
                await work(who);
                return;
            }

            // Directus keys the parsed query, so the parameters' order does not matter.
            var query = string.Join('&', context.Request.Query.Where(p => p.Key != "access_token").OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{Uri.EscapeDataString(p.Key)}={string.Join('&', p.Value.Select(v => Uri.EscapeDataString(v ?? "")))}"));
            var (served, pending) = await cache.ServeOrBeginAsync(context, who, Caching.ResponseCache.Key(who, context.Request.Path.Value ?? "", query));
            if (served)
            {
                return;
            }

            var written = false;
            try
            {
                await work(who);
                written = true;
            }
            finally
            {
                if (pending is not null)
                {
                    await pending.CompleteAsync(written);
                }
            }
        });

    private async Task RunAsync(HttpContext context, Func<Accountability, Task> work)
    {
        try
        {
            var who = await authenticator.AuthenticateAsync(context.Request, context.RequestAborted);
            await work(who);
        }
        catch (DirectusException error)
        {
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                if (HttpMethods.IsGet(context.Request.Method))
                {
                    // A read refused (403, 400…) still says MISS, as Directus's cache check does before the route runs.
                    cache.Bypass(context);
                }

                await DirectusErrorResponder.WriteAsync(context, error);
            }
        }
    }

    private static async Task AnswerAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        using var body = GraphQLResponseWriter.NewBuffer();
        using (var json = GraphQLResponseWriter.CreateWriter(body))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }

        await GraphQLResponseWriter.WriteBodyAsync(context, status, body, context.RequestAborted);
    }
}
