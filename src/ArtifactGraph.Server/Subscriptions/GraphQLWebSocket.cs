using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Server.GraphQL.Validation;
using ArtifactGraph.Server.Http;
using GraphQL;

namespace ArtifactGraph.Server.Subscriptions;

/// <summary>
/// GraphQL over WebSocket with the <c>graphql-transport-ws</c> protocol (the <c>graphql-ws</c> library's), as Directus serves
/// it on <c>WEBSOCKETS_GRAPHQL_PATH</c>: <c>connection_init</c>/<c>connection_ack</c>, <c>ping</c>/<c>pong</c>,
/// <c>subscribe</c>/<c>next</c>/<c>error</c>/<c>complete</c>, and the protocol's close codes. Queries and mutations sent
/// over the socket are answered once; subscriptions deliver an event per committed write. Authentication follows
/// <c>WEBSOCKETS_GRAPHQL_AUTH</c>: <c>handshake</c> (the token in <c>connection_init</c>'s <c>access_token</c>, or on the
/// upgrade), <c>public</c>, or <c>strict</c> (the token on the upgrade). A connection's token is checked again every
/// second: once it is revoked (on any node), the connection closes with 4403.
/// </summary>
public sealed class GraphQLWebSocket(
    ServerSettings settings, RequestAuthenticator authenticator, ITokenAuthenticator tokens, GraphQLExecutionService execution,
    ILogger<GraphQLWebSocket> logger)
{
    public const string Protocol = "graphql-transport-ws";

    /// <summary>How long a close may wait for the message being sent and for the peer's close frame before the socket is aborted.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How many bytes may wait to be sent on one connection (beside <see cref="WebSocketSettings.GraphQLMaxBacklog"/> messages).</summary>
    public const long MaxBacklogBytes = 64L * 1024 * 1024;

    private readonly ServerSettings settings = settings;
    private readonly ITokenAuthenticator tokens = tokens;
    private readonly GraphQLExecutionService execution = execution;
    private readonly ILogger<GraphQLWebSocket> logger = logger;

    private int connections;

    public int Connections => Volatile.Read(ref connections);

    public async Task HandleAsync(HttpContext context, GraphQLScope scope)
    {
        var options = settings.WebSockets;
        Accountability who;
        string? token;
        try
        {
            token = RequestAuthenticator.ExtractToken(context.Request);
            who = await authenticator.AuthenticateAsync(context.Request, context.RequestAborted);
            if (options.GraphQLAuth == "strict" && !who.IsAuthenticated)
            {
                throw DirectusException.InvalidCredentials();
            }

            if (options.GraphQLConnectionLimit is { } limit && Connections >= limit)
            {
                throw DirectusErrors.ServiceUnavailable("websocket", "The most WebSocket connections this node takes (WEBSOCKETS_GRAPHQL_CONN_LIMIT) are open");
            }
        }
        catch (DirectusException error)
        {
            await DirectusErrorResponder.WriteAsync(context, error);
            return;
        }

        var acceptable = context.WebSockets.WebSocketRequestedProtocols.Contains(Protocol);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(acceptable ? Protocol : null);
        Interlocked.Increment(ref connections);
        try
        {
            if (!acceptable)
            {
                await CloseAsync(socket, 4406, "Subprotocol not acceptable");
                return;
            }

            var connection = new Connection(this, socket, scope, who, token, context.RequestServices, context.RequestAborted);
            await connection.RunAsync();
        }
        finally
        {
            Interlocked.Decrement(ref connections);
        }
    }

    /// <summary>The close handshake; a peer that does not answer it within <see cref="CloseTimeout"/> has its socket aborted.</summary>
    private static async Task CloseAsync(WebSocket socket, int code, string reason)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(CloseTimeout);
            try
            {
                await socket.CloseAsync((WebSocketCloseStatus)code, LimitReason(reason), timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The peer went away first, or never answered (a cancelled close aborts the socket).
            }
        }
    }

    /// <summary>A close reason fits in 123 bytes of UTF-8 (a longer one throws): cut at a character boundary, as graphql-ws limits it.</summary>
    internal static string LimitReason(string reason)
    {
        const int max = 123;
        if (Encoding.UTF8.GetByteCount(reason) <= max)
        {
            return reason;
        }

        var length = reason.Length;
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > max - 3)
        {
            length--;
        }

        if (length > 0 && char.IsHighSurrogate(reason[length - 1]))
        {
            length--;
        }

        return reason[..length] + "…";
    }

    /// <summary>One socket: its state, its operations by id, one writer at a time.</summary>
    private sealed class Connection(
        GraphQLWebSocket owner, WebSocket socket, GraphQLScope scope, Accountability who, string? token, IServiceProvider services, CancellationToken aborted)
    {
        /// <summary>How many operations one connection may run at once; one more closes it (1008, policy violation).</summary>
        public const int MaxOperations = 100;

        /// <summary>The bytes one receive asks for: clients' messages are small (init, subscribe, pong, complete).</summary>
        private const int ReceiveChunk = 256;

        private readonly GraphQLWebSocket owner = owner;
        private readonly GraphQLScope scope = scope;
        private readonly IServiceProvider services = services;
        private readonly Channel<byte[]> outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
        private readonly ConcurrentDictionary<string, IDisposable> operations = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource closing = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        private Accountability accountability = who;
        private string? token = token;
        private bool initReceived;
        private bool acknowledged;
        private long lastHeard = Environment.TickCount64;
        private int waiting;
        private long waitingBytes;
        private int refused;
        private Task refusal = Task.CompletedTask;
        private Task writer = Task.CompletedTask;

        /// <summary>The payload's variables may nest as deep as an HTTP body's (the message and its payload are two levels more).</summary>
        private static readonly JsonDocumentOptions MessageOptions = new() { MaxDepth = Json.ClientJson.MaxDepth + 2 };

        private WebSocketSettings Options => owner.settings.WebSockets;

        public async Task RunAsync()
        {
            writer = Task.Run(WriteLoopAsync);
            var watch = Task.Run(WatchAsync);
            try
            {
                await ReadLoopAsync();
            }
            finally
            {
                await closing.CancelAsync();
                foreach (var operation in operations.Values)
                {
                    operation.Dispose();
                }

                operations.Clear();
                outgoing.Writer.TryComplete();
                await watch;
                await refusal;
                try
                {
                    await writer.WaitAsync(CloseTimeout);
                }
                catch (TimeoutException)
                {
                    // A send the peer never reads: end it.
                    socket.Abort();
                    await writer;
                }
            }
        }

        private async Task ReadLoopAsync()
        {
            // Small, as an idle connection holds it all the time (4 KB was a quarter of its managed memory); a large message
            // grows it for its own reading, and the next message starts small again.
            var buffer = new ArrayBufferWriter<byte>(ReceiveChunk);
            while (socket.State == WebSocketState.Open && !closing.IsCancellationRequested)
            {
                if (buffer.Capacity > 16 * ReceiveChunk)
                {
                    buffer = new ArrayBufferWriter<byte>(ReceiveChunk);
                }

                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult received;
                try
                {
                    do
                    {
                        received = await socket.ReceiveAsync(buffer.GetMemory(ReceiveChunk), closing.Token);
                        buffer.Advance(received.Count);
                        if (buffer.WrittenCount > owner.settings.MaxPayloadSize)
                        {
                            // MAX_PAYLOAD_SIZE, as for HTTP bodies; 1009 is WebSocket's "message too big".
                            await RefuseAsync(1009, "Message too big");
                            return;
                        }
                    }
                    while (!received.EndOfMessage);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
                {
                    return;
                }

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    // The peer is leaving: what still waits for it is dropped, its close is answered.
                    await RefuseAsync((int)(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure), "", dropWaiting: true);
                    return;
                }

                Interlocked.Exchange(ref lastHeard, Environment.TickCount64);
                if (!await HandleAsync(buffer.WrittenSpan.ToArray()))
                {
                    return;
                }
            }
        }

        /// <summary>One message; false when the connection is closed because of it.</summary>
        private async Task<bool> HandleAsync(byte[] bytes)
        {
            string type;
            JsonElement message;
            try
            {
                using var document = JsonDocument.Parse(bytes, MessageOptions);
                message = document.RootElement.Clone();
                type = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                    ? t.GetString()!
                    : throw new JsonException("Message is missing the 'type' property");
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                // InvalidOperationException: a string that is not text (invalid UTF-8 in a binary frame, an escaped lone surrogate).
                return await RefuseAsync(4400, ex.Message.Contains("'type'", StringComparison.Ordinal) ? ex.Message : "Invalid message received");
            }

            try
            {
                return await HandleAsync(type, message);
            }
            catch (InvalidOperationException)
            {
                // An id, query or token whose string is not text.
                return await RefuseAsync(4400, "Invalid message received");
            }
        }

        private async Task<bool> HandleAsync(string type, JsonElement message)
        {
            switch (type)
            {
                case "connection_init":
                    return await InitAsync(message);
                case "ping":
                    await SendAsync(message.TryGetProperty("payload", out var payload) ? new { type = "pong", payload } : new { type = "pong" });
                    return true;
                case "pong":
                    return true;
                case "subscribe":
                    return await SubscribeAsync(message);
                case "complete":
                    if (Id(message) is { } done && operations.TryRemove(done, out var operation))
                    {
                        operation.Dispose();
                    }

                    return true;
                default:
                    return await RefuseAsync(4400, $"Unexpected message of type {type} received");
            }
        }

        private async Task<bool> InitAsync(JsonElement message)
        {
            if (initReceived)
            {
                return await RefuseAsync(4429, "Too many initialisation requests");
            }

            initReceived = true;
            if (Options.GraphQLAuth == "handshake")
            {
                // Directus: the token in the payload's access_token; a connection authenticated on the upgrade needs none.
                var payloadToken = message.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object
                    ? PayloadToken(payload) : null;
                if (payloadToken is not null)
                {
                    if (await owner.tokens.AuthenticateAsync(payloadToken, closing.Token) is not { } user)
                    {
                        return await RefuseAsync(4403, "Forbidden");
                    }

                    accountability = user;
                    token = payloadToken;
                }
                else if (!accountability.IsAuthenticated)
                {
                    return await RefuseAsync(4403, "Forbidden");
                }
            }

            acknowledged = true;
            await SendAsync(new { type = "connection_ack" });
            return true;
        }

        /// <summary>
        /// <c>access_token</c> (Directus), else an <c>Authorization</c> entry (any case) holding <c>Bearer &lt;token&gt;</c>: Banana
        /// Cake Pop sends the document's HTTP headers as the payload. A value of another type is no token.
        /// </summary>
        private static string? PayloadToken(JsonElement payload)
        {
            if (payload.TryGetProperty("access_token", out var accessToken))
            {
                return accessToken.ValueKind == JsonValueKind.String ? accessToken.GetString() : null;
            }

            var header = payload.EnumerateObject().FirstOrDefault(p => p.Name.Equals("authorization", StringComparison.OrdinalIgnoreCase));
            return header.Value.ValueKind == JsonValueKind.String ? RequestAuthenticator.BearerToken(header.Value.GetString()) : null;
        }

        private async Task<bool> SubscribeAsync(JsonElement message)
        {
            if (!acknowledged)
            {
                return await RefuseAsync(4401, "Unauthorized");
            }

            if (Id(message) is not { Length: > 0 } id
                || !message.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object
                || !payload.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String)
            {
                return await RefuseAsync(4400, "Invalid message received");
            }

            if (operations.Count >= MaxOperations && !operations.ContainsKey(id))
            {
                return await RefuseAsync(1008, $"Too many operations: at most {MaxOperations} per connection");
            }

            var operation = new Operation(this, id);
            if (!operations.TryAdd(id, operation))
            {
                return await RefuseAsync(4409, $"Subscriber for {id} already exists");
            }

            GraphQLRequest request;
            try
            {
                // As in an HTTP body, a string with an unpaired surrogate escape is INVALID_PAYLOAD: an error for the id.
                request = new GraphQLRequest(
                    (string)Json.ClientJson.ToValue(query)!,
                    payload.TryGetProperty("variables", out var variables) && variables.ValueKind == JsonValueKind.Object ? variables : null,
                    payload.TryGetProperty("operationName", out var name) && name.ValueKind == JsonValueKind.String ? (string?)Json.ClientJson.ToValue(name) : null);
            }
            catch (DirectusException ex)
            {
                await operation.ErrorAsync([ResponseError.From(ex)]);
                return true;
            }

            _ = Task.Run(() => operation.RunAsync(request));
            return true;
        }

        private static string? Id(JsonElement message)
            => message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

        /// <summary>
        /// Closes the connection with <paramref name="code"/> once the message being sent has gone (and, unless
        /// <paramref name="dropWaiting"/>, those waiting); the first call decides the code. False, for the read loop to stop.
        /// </summary>
        private async Task<bool> RefuseAsync(int code, string reason, bool dropWaiting = false)
        {
            if (Interlocked.Exchange(ref refused, 1) == 0)
            {
                refusal = CloseAfterSendingAsync(code, reason, dropWaiting);
            }

            await refusal;
            await closing.CancelAsync();
            return false;
        }

        private async Task CloseAfterSendingAsync(int code, string reason, bool dropWaiting)
        {
            outgoing.Writer.TryComplete();
            if (dropWaiting)
            {
                while (outgoing.Reader.TryRead(out _))
                {
                }
            }

            try
            {
                // A peer that reads nothing never lets the send in progress finish: after CloseTimeout its socket is aborted.
                await writer.WaitAsync(CloseTimeout);
            }
            catch (TimeoutException)
            {
                socket.Abort();
                return;
            }

            await CloseAsync(socket, code, reason);
        }

        /// <summary>The one sender: the messages in order, each whole.</summary>
        private async Task WriteLoopAsync()
        {
            await foreach (var bytes in outgoing.Reader.ReadAllAsync())
            {
                Interlocked.Decrement(ref waiting);
                Interlocked.Add(ref waitingBytes, -bytes.Length);
                if (socket.State != WebSocketState.Open)
                {
                    continue;
                }

                try
                {
                    await socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // The peer went away: the read loop ends the connection.
                    return;
                }
            }
        }

        /// <summary>Every second: the init deadline, the token still valid, the heartbeat.</summary>
        private async Task WatchAsync()
        {
            var opened = Environment.TickCount64;
            var lastPing = Environment.TickCount64;
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            try
            {
                while (await timer.WaitForNextTickAsync(closing.Token))
                {
                    var now = Environment.TickCount64;
                    if (!initReceived && now - opened > Options.GraphQLAuthTimeout.TotalMilliseconds)
                    {
                        await RefuseAsync(4408, "Connection initialisation timeout");
                        return;
                    }

                    if (token is not null)
                    {
                        if (await owner.tokens.AuthenticateAsync(token, closing.Token) is not { } current)
                        {
                            // Revoked (the token cache hears it from every node through PostgreSQL within a second).
                            await RefuseAsync(4403, "Forbidden");
                            return;
                        }

                        // Permissions may have changed too: operations started from now on use the new ones.
                        accountability = current;
                    }

                    if (Options.HeartbeatEnabled && now - lastPing >= Options.HeartbeatPeriod.TotalMilliseconds)
                    {
                        if (Interlocked.Read(ref lastHeard) < lastPing && lastPing != opened)
                        {
                            // Nothing heard since the last ping (not even a pong): the peer is gone.
                            await RefuseAsync(1000, "Heartbeat timeout");
                            return;
                        }

                        lastPing = now;
                        await SendAsync(new { type = "ping" });
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex)
            {
                owner.logger.LogWarning(ex, "WebSocket watch failed");
            }
        }

        public Task SendAsync(object message) => SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, GraphQLResponseWriter.SerializerOptions));

        /// <summary>
        /// Queues a message for the sender and returns at once. A peer that does not read lets messages pile up: past
        /// WEBSOCKETS_GRAPHQL_MAX_BACKLOG messages or <see cref="MaxBacklogBytes"/> the connection is closed with 1008
        /// (what waits is dropped), so that memory stays bounded.
        /// </summary>
        public Task SendAsync(byte[] bytes)
        {
            if (Volatile.Read(ref refused) != 0)
            {
                return Task.CompletedTask;
            }

            var count = Interlocked.Increment(ref waiting);
            var size = Interlocked.Add(ref waitingBytes, bytes.Length);
            if (count > Options.GraphQLMaxBacklog || (size > MaxBacklogBytes && size > bytes.Length) || !outgoing.Writer.TryWrite(bytes))
            {
                Interlocked.Decrement(ref waiting);
                Interlocked.Add(ref waitingBytes, -bytes.Length);
                _ = RefuseAsync(1008, "Too slow: messages are waiting", dropWaiting: true);
            }

            return Task.CompletedTask;
        }

        /// <summary>One <c>subscribe</c>: a query or mutation answered once, or a subscription's events until completed.</summary>
        private sealed class Operation(Connection connection, string id) : IDisposable
        {
            private readonly Connection connection = connection;
            private readonly string id = id;
            private readonly CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(connection.closing.Token);
            private readonly List<IDisposable> streams = [];
            private int disposed;

            public async Task RunAsync(GraphQLRequest request)
            {
                try
                {
                    var who = connection.accountability;
                    var outcome = await connection.owner.execution.ExecuteAsync(
                        request, connection.scope, who, viaGet: false, connection.services, ifMatch: null, stop.Token, subscribable: true);
                    if (outcome.Body is { } direct)
                    {
                        using (direct)
                        {
                            await NextAsync(direct.ToArray());
                        }

                        await CompleteAsync();
                        return;
                    }

                    if (outcome.Result is not { } result)
                    {
                        await ErrorAsync(outcome.RequestErrors.Select(e => ExecutionErrorShaper.Shape(e, who)).ToList());
                        return;
                    }

                    if (result.Streams is { Count: > 0 } sources)
                    {
                        foreach (var (_, source) in sources)
                        {
                            lock (streams)
                            {
                                if (disposed == 0)
                                {
                                    streams.Add(source.Subscribe(new EventObserver(this, who)));
                                }
                            }
                        }

                        return;
                    }

                    var errors = (result.Errors ?? []).Select(e => ExecutionErrorShaper.Shape(e, who)).ToList();
                    if (!result.Executed && errors.Count > 0)
                    {
                        await ErrorAsync(errors);
                        return;
                    }

                    await NextAsync(GraphQLResponseWriter.Render(errors, result));
                    await CompleteAsync();
                }
                catch (GraphQLValidationException ex)
                {
                    await ErrorAsync([new ResponseError(ResponseError.ValidationMessage, [new("errors", ex.Errors), new("code", "GRAPHQL_VALIDATION")])]);
                }
                catch (DirectusException ex)
                {
                    await ErrorAsync([ResponseError.From(ex)]);
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    // Completed, or the connection ended (its request's services may be gone already): nobody to tell.
                }
                catch (Exception ex)
                {
                    connection.owner.logger.LogError(ex, "GraphQL over WebSocket: operation {Id} failed", id);
                    await ErrorAsync([ResponseError.From(DirectusErrors.Internal())]);
                }
            }

            public Task NextAsync(byte[] result) => connection.SendAsync(Frame("next", result));

            public async Task ErrorAsync(IReadOnlyList<ResponseError> errors)
            {
                // graphql-ws's error message carries the errors themselves, and ends the operation.
                using var document = JsonDocument.Parse(GraphQLResponseWriter.Render(errors, null));
                await connection.SendAsync(Frame("error", Encoding.UTF8.GetBytes(document.RootElement.GetProperty("errors").GetRawText())));
                Forget();
            }

            public async Task CompleteAsync()
            {
                if (connection.operations.TryRemove(id, out _))
                {
                    await connection.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { id, type = "complete" }));
                }

                Dispose();
            }

            private void Forget()
            {
                connection.operations.TryRemove(id, out _);
                Dispose();
            }

            private byte[] Frame(string type, byte[] payload)
            {
                var head = Encoding.UTF8.GetBytes($"{{\"id\":{JsonSerializer.Serialize(id)},\"type\":\"{type}\",\"payload\":");
                var frame = new byte[head.Length + payload.Length + 1];
                head.CopyTo(frame, 0);
                payload.CopyTo(frame, head.Length);
                frame[^1] = (byte)'}';
                return frame;
            }

            public void Dispose()
            {
                if (Interlocked.Exchange(ref disposed, 1) != 0)
                {
                    return;
                }

                lock (streams)
                {
                    streams.ForEach(s => s.Dispose());
                    streams.Clear();
                }

                stop.Cancel();
            }

            /// <summary>Each event of the subscription as a <c>next</c> message, in order.</summary>
            private sealed class EventObserver(Operation operation, Accountability who) : IObserver<ExecutionResult>
            {
                public void OnNext(ExecutionResult value)
                {
                    var errors = (value.Errors ?? []).Select(e => ExecutionErrorShaper.Shape(e, who)).ToList();
                    operation.NextAsync(GraphQLResponseWriter.Render(errors, value)).GetAwaiter().GetResult();
                }

                public void OnError(Exception error)
                {
                    if (error is MutatedEventStream.SlowSubscriberException || error.InnerException is MutatedEventStream.SlowSubscriberException)
                    {
                        // A consumer that cannot keep up: the connection ends (the client may reconnect), memory stays bounded.
                        _ = operation.connection.RefuseAsync(1008, "Too slow: events are waiting", dropWaiting: true);
                        return;
                    }

                    operation.connection.owner.logger.LogWarning(error, "GraphQL subscription {Id} failed", operation.id);
                    operation.ErrorAsync([ResponseError.From(DirectusErrors.Internal())]).GetAwaiter().GetResult();
                }

                public void OnCompleted() => operation.CompleteAsync().GetAwaiter().GetResult();
            }
        }
    }
}
